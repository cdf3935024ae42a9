// Renders docs/api.md, the API reference, from the contract's image as buf
// builds it with its comments:
//
//   buf build proto -o image.json && node tools/api/api_md.mjs image.json >docs/api.md
//
// scripts/lib/check_api.sh does exactly that and fails when the checked-in
// docs/api.md differs: the reference is the protos' own comments, never a
// second text to keep in step. Every service with its methods, every message
// with its fields (number, type, comment), every enum with its values, of
// the antt.* packages; the vendored google.* and grpc.* types are linked by
// name only.
import { readFileSync } from 'node:fs';

const image = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const files = image.file.filter((f) => f.package?.startsWith('antt.'))
  .sort((a, b) => a.name.localeCompare(b.name));

// FileDescriptorProto / DescriptorProto / EnumDescriptorProto /
// ServiceDescriptorProto field numbers, as source_code_info paths use them.
const FILE_MESSAGE = 4, FILE_ENUM = 5, FILE_SERVICE = 6;
const MESSAGE_FIELD = 2, MESSAGE_NESTED = 3, MESSAGE_ENUM = 4;
const ENUM_VALUE = 2, SERVICE_METHOD = 2;

// The leading (else trailing) comment of the element at `path`, one line.
function commentsOf(file) {
  const byPath = new Map();
  for (const location of file.sourceCodeInfo?.location ?? []) {
    const text = location.leadingComments ?? location.trailingComments;
    if (text !== undefined) byPath.set((location.path ?? []).join('.'), text);
  }
  return (path) => (byPath.get(path.join('.')) ?? '').trim();
}

// A comment as one Markdown table cell: one line, pipes escaped.
const cell = (text) => text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
// A comment as a paragraph: the proto's line breaks kept as Markdown sees them.
const paragraph = (text) => text.split('\n').map((l) => l.trim()).join('\n');

const anchor = (fullName) => fullName.toLowerCase().replace(/[^a-z0-9]+/g, '-');
// A type name: a link when it is one of ours, the name otherwise.
function typeName(name) {
  const full = name.replace(/^\./, '');
  return full.startsWith('antt.') ? `[\`${full.split('.').pop()}\`](#${anchor(full)})` : `\`${full}\``;
}

const SCALARS = {
  TYPE_DOUBLE: 'double', TYPE_FLOAT: 'float', TYPE_INT64: 'int64', TYPE_UINT64: 'uint64',
  TYPE_INT32: 'int32', TYPE_FIXED64: 'fixed64', TYPE_FIXED32: 'fixed32', TYPE_BOOL: 'bool',
  TYPE_STRING: 'string', TYPE_BYTES: 'bytes', TYPE_UINT32: 'uint32', TYPE_SFIXED32: 'sfixed32',
  TYPE_SFIXED64: 'sfixed64', TYPE_SINT32: 'sint32', TYPE_SINT64: 'sint64',
};

function fieldType(field, message) {
  const base = field.typeName ? typeName(field.typeName) : `\`${SCALARS[field.type]}\``;
  // A map<K, V> is a repeated generated *Entry message.
  const entry = (message.nestedType ?? []).find(
    (n) => n.options?.mapEntry && field.typeName?.endsWith(`.${n.name}`));
  if (entry) {
    const [key, value] = entry.field;
    return `map<${fieldType(key, entry)}, ${fieldType(value, entry)}>`;
  }
  if (field.label === 'LABEL_REPEATED') return `repeated ${base}`;
  if (field.proto3Optional) return `optional ${base}`;
  return base;
}

const out = [];
const emit = (...lines) => out.push(...lines);

emit('# ANTT API reference', '',
  '<!-- Generated from proto/ by tools/api/api_md.mjs; scripts/lib/check_api.sh checks that',
  '     it is current. Edit the protos\' comments, not this file. -->', '',
  'The gRPC services of ANTT, their methods, messages and enums, as the protos in `proto/antt/`',
  'define and describe them. Every server also serves `grpc.health.v1.Health` and server',
  'reflection; errors are `google.rpc.Status` with `google.rpc.BadRequest` naming the fields of',
  'an `INVALID_ARGUMENT` (README, "Calling the registry").', '');
for (const file of files) {
  emit(`- [\`${file.package}\`](#${anchor(file.package)}) (\`proto/${file.name}\`)`);
}
emit('');

function renderEnum(e, fullName, path, comment) {
  emit(`#### ${fullName.split('.').slice(3).join('.')}`, '', `<a id="${anchor(fullName)}"></a>`);
  const text = comment(path);
  if (text) emit('', paragraph(text));
  emit('', '| value | number | meaning |', '|---|---|---|');
  (e.value ?? []).forEach((v, i) => {
    emit(`| \`${v.name}\` | ${v.number ?? 0} | ${cell(comment([...path, ENUM_VALUE, i]))} |`);
  });
  emit('');
}

function renderMessage(m, fullName, path, comment) {
  if (m.options?.mapEntry) return;
  emit(`#### ${fullName.split('.').slice(3).join('.')}`, '', `<a id="${anchor(fullName)}"></a>`);
  const text = comment(path);
  if (text) emit('', paragraph(text));
  const fields = m.field ?? [];
  if (fields.length === 0) {
    emit('', 'No fields.', '');
  } else {
    emit('', '| field | number | type | meaning |', '|---|---|---|---|');
    fields.forEach((f, i) => {
      const oneof = f.oneofIndex !== undefined && !f.proto3Optional
        ? ` (one of \`${m.oneofDecl[f.oneofIndex].name}\`)` : '';
      emit(`| \`${f.name}\` | ${f.number} | ${fieldType(f, m)}${oneof} | ${cell(comment([...path, MESSAGE_FIELD, i]))} |`);
    });
    emit('');
  }
  (m.enumType ?? []).forEach((e, i) => renderEnum(e, `${fullName}.${e.name}`, [...path, MESSAGE_ENUM, i], comment));
  (m.nestedType ?? []).forEach((n, i) => renderMessage(n, `${fullName}.${n.name}`, [...path, MESSAGE_NESTED, i], comment));
}

for (const file of files) {
  const comment = commentsOf(file);
  emit(`## ${file.package}`, '', `<a id="${anchor(file.package)}"></a>`, '', `Defined in \`proto/${file.name}\`.`, '');
  (file.service ?? []).forEach((service, s) => {
    emit(`### ${service.name}`, '');
    const text = comment([FILE_SERVICE, s]);
    if (text) emit(paragraph(text), '');
    emit('| method | request | response | meaning |', '|---|---|---|---|');
    (service.method ?? []).forEach((method, i) => {
      const request = `${method.clientStreaming ? 'stream ' : ''}${typeName(method.inputType)}`;
      const response = `${method.serverStreaming ? 'stream ' : ''}${typeName(method.outputType)}`;
      emit(`| \`${method.name}\` | ${request} | ${response} | ${cell(comment([FILE_SERVICE, s, SERVICE_METHOD, i]))} |`);
    });
    emit('');
  });
  emit('### Messages', '');
  (file.messageType ?? []).forEach((m, i) => renderMessage(m, `${file.package}.${m.name}`, [FILE_MESSAGE, i], comment));
  if ((file.enumType ?? []).length) {
    emit('### Enums', '');
    file.enumType.forEach((e, i) => renderEnum(e, `${file.package}.${e.name}`, [FILE_ENUM, i], comment));
  }
}
process.stdout.write(out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n');
