# Helpers that pair each library with its test, so every component is built the same way.
#
#   sockspec_add_library(name SOURCES a.cpp ... [DEPS lib ...])
#   sockspec_add_test(name SOURCES a_test.cpp ... [DEPS lib ...] [LABELS l ...])
#   sockspec_add_program(name SOURCES main.cpp ... [DEPS lib ...])
#   sockspec_add_benchmark(name SOURCES a_bench.cpp ... [DEPS lib ...])

function(sockspec_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  sockspec_set_warnings(${name})
endfunction()

function(sockspec_add_program name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  sockspec_set_warnings(${name})
endfunction()

# One precompiled GoogleTest/GoogleMock header for all tests: parsing gmock dominated their
# build time.
function(_sockspec_test_pch)
  if(TARGET sockspec_test_pch)
    return()
  endif()
  add_library(sockspec_test_pch STATIC ${PROJECT_SOURCE_DIR}/cmake/test_pch.cpp)
  target_link_libraries(sockspec_test_pch PUBLIC GTest::gmock GTest::gtest)
  sockspec_set_warnings(sockspec_test_pch)
  target_precompile_headers(sockspec_test_pch PRIVATE <gtest/gtest.h> <gmock/gmock.h>)
endfunction()

# Tests are discovered per TEST() so ctest runs them in parallel and reports each one.
function(sockspec_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  _sockspec_test_pch()
  add_executable(${name} ${ARG_SOURCES})
  target_precompile_headers(${name} REUSE_FROM sockspec_test_pch)
  # GCC 12 at -O2 reports false array-bounds/restrict errors inside inlined std::string code
  # that tests build by concatenation (GCC PR 105329, 105651); library code keeps the warnings.
  target_compile_options(${name} PRIVATE
    $<$<CXX_COMPILER_ID:GNU>:-Wno-array-bounds -Wno-restrict -Wno-stringop-overflow
                                       -Wno-stringop-overread>)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  sockspec_set_warnings(${name})
  set(labels unit)
  if(ARG_LABELS)
    set(labels ${ARG_LABELS})
  endif()
  gtest_discover_tests(${name}
    DISCOVERY_TIMEOUT 30
    PROPERTIES LABELS "${labels}" TIMEOUT 120
               ENVIRONMENT "SOCKSPEC_BIN_DIR=${CMAKE_BINARY_DIR}/bin;XDG_CACHE_HOME=${CMAKE_BINARY_DIR}/test-cache")
endfunction()

function(sockspec_add_benchmark name)
  if(NOT SOCKSPEC_BENCHMARKS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} benchmark::benchmark)
  sockspec_set_warnings(${name})
endfunction()

# sockspec_cli11_sources(file ...): the files that include CLI11. GCC 12 at -O2 reports a false
# "potential null pointer dereference" inside CLI11's detail::split() (std::string relocation in
# vector growth); the warning is turned off for these files only. Keep CLI11 out of headers: it
# is slow to compile.
function(sockspec_cli11_sources)
  set_source_files_properties(${ARGN} PROPERTIES COMPILE_OPTIONS
    "$<$<CXX_COMPILER_ID:GNU>:-Wno-null-dereference>")
endfunction()
