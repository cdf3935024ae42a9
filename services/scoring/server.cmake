# Included last by services/scoring/CMakeLists.txt: storage, use cases, the
# gRPC adapter and the binary.
add_library(scoring_lib STATIC
  grpc_registry_client.cc
  registry_follower.cc
  rocksdb_scoring_store.cc
  scoring.cc
)
target_compile_options(scoring_lib PRIVATE ${ANTT_WARNINGS})
target_link_libraries(scoring_lib
  PUBLIC scoring_rules area_catalog antt_common scoring_proto registry_proto)

add_library(scoring_server STATIC scoring_service.cc)
target_compile_options(scoring_server PRIVATE ${ANTT_WARNINGS})
target_link_libraries(scoring_server PUBLIC scoring_lib)

add_executable(antt-scoring main.cc)
target_compile_options(antt-scoring PRIVATE ${ANTT_WARNINGS})
target_link_libraries(antt-scoring PRIVATE scoring_server)
install(TARGETS antt-scoring RUNTIME DESTINATION bin)
