# Included last by services/awards/CMakeLists.txt: storage, use cases, the
# gRPC adapter and the binary.
add_library(awards_lib STATIC
  awards.cc
  grpc_dependencies.cc
  rocksdb_awards_store.cc
)
target_compile_options(awards_lib PRIVATE ${ANTT_WARNINGS})
# area_catalog: the registry's area-scope rule, which decides an area-limited
# officer's reach over nominations too.
target_link_libraries(awards_lib PUBLIC awards_rules antt_common awards_proto
                                        registry_proto scoring_proto
                                        area_catalog)

add_library(awards_server STATIC awards_service.cc)
target_compile_options(awards_server PRIVATE ${ANTT_WARNINGS})
target_link_libraries(awards_server PUBLIC awards_lib)

add_executable(antt-awards main.cc)
target_compile_options(antt-awards PRIVATE ${ANTT_WARNINGS})
target_link_libraries(antt-awards PRIVATE awards_server)
install(TARGETS antt-awards RUNTIME DESTINATION bin)
