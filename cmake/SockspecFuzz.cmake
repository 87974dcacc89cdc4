# sockspec_add_fuzzer(name SOURCES a.cpp ... [DEPS lib ...]): one in-process fuzz harness.
#
# Every build (GCC too) gets fuzz-<name>-replay: the harness linked with fuzz/replay_main.cpp,
# registered as ctest `fuzz-replay.<name>` (label fuzz) over corpora/<name>/, so every seed is
# checked in every preset. With SOCKSPEC_FUZZ=ON (clang only) it also builds fuzz-<name>, linked
# with the engine SOCKSPEC_FUZZ_ENGINE, and registers `fuzz-run.<name>` (label fuzz): a few
# seconds of fuzzing from the seeds through fuzz/run-fuzzer, which fails on any finding and when
# the fuzzer did not run. A harness without seeds in corpora/<name>/ is refused.

set(SOCKSPEC_FUZZ_ENGINE "-fsanitize=fuzzer" CACHE STRING
    "Link flag of the fuzzing engine (ClusterFuzzLite passes \$LIB_FUZZING_ENGINE)")
set(SOCKSPEC_FUZZ_RUN_SECONDS 8 CACHE STRING "How long each fuzz-run.<name> ctest fuzzes")
set(SOCKSPEC_CORPORA_DIR "${PROJECT_SOURCE_DIR}/corpora")

if(SOCKSPEC_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "SOCKSPEC_FUZZ=ON needs clang (libFuzzer); CMAKE_CXX_COMPILER is "
                        "${CMAKE_CXX_COMPILER_ID}. Use `cmake --preset fuzz`.")
  endif()
  # Coverage instrumentation for everything built after this point (the code under test and the
  # harnesses), as OSS-Fuzz does through CFLAGS; only the fuzzer binaries link the engine.
  add_compile_options(-fsanitize=fuzzer-no-link)
  # The replay binaries have no engine, yet their code calls the coverage hooks: a sanitizer
  # runtime defines them, and without one (a -DSOCKSPEC_SANITIZE= build for speed) libFuzzer's
  # no-main library does. Optional: another engine ($LIB_FUZZING_ENGINE) may not ship it.
  execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-runtime-dir
                  OUTPUT_VARIABLE _rt_dir OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  find_file(SOCKSPEC_FUZZ_NO_MAIN_LIB
            NAMES "libclang_rt.fuzzer_no_main-${CMAKE_SYSTEM_PROCESSOR}.a"
                  "libclang_rt.fuzzer_no_main.a"
            HINTS "${_rt_dir}" NO_DEFAULT_PATH)
endif()

# FuzzedDataProvider.h ships with clang's headers; GCC builds of the replays take a copy of it
# from the installed clang (clang-14), alone in a build folder (clang's folder also holds its own
# stddef.h and friends, which GCC must not see), as a system header so -Werror ignores it.
function(_sockspec_fuzz_support)
  if(TARGET sockspec_fuzz_support)
    return()
  endif()
  add_library(sockspec_fuzz_support INTERFACE)
  target_include_directories(sockspec_fuzz_support INTERFACE ${PROJECT_SOURCE_DIR})
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    file(GLOB _fdp_dirs LIST_DIRECTORIES true "/usr/lib/llvm-*/lib/clang/*/include")
    find_path(SOCKSPEC_FDP_INCLUDE_DIR fuzzer/FuzzedDataProvider.h HINTS ${_fdp_dirs})
    if(NOT SOCKSPEC_FDP_INCLUDE_DIR)
      message(FATAL_ERROR "fuzzer/FuzzedDataProvider.h not found: install clang-14 (ci/setup) "
                          "or set SOCKSPEC_FDP_INCLUDE_DIR")
    endif()
    set(fdp_dir "${CMAKE_BINARY_DIR}/fuzz-include")
    configure_file("${SOCKSPEC_FDP_INCLUDE_DIR}/fuzzer/FuzzedDataProvider.h"
                   "${fdp_dir}/fuzzer/FuzzedDataProvider.h" COPYONLY)
    target_include_directories(sockspec_fuzz_support SYSTEM INTERFACE "${fdp_dir}")
  endif()
  add_library(sockspec_fuzz_replay_main STATIC ${PROJECT_SOURCE_DIR}/fuzz/replay_main.cpp)
  sockspec_set_warnings(sockspec_fuzz_replay_main)
endfunction()

function(sockspec_add_fuzzer name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  set(corpus "${SOCKSPEC_CORPORA_DIR}/${name}")
  file(GLOB seeds "${corpus}/*")
  if(NOT IS_DIRECTORY "${corpus}" OR NOT seeds)
    message(FATAL_ERROR "sockspec_add_fuzzer(${name}): the seed corpus corpora/${name}/ is missing "
                        "or empty; add a few small seed files, one behaviour each")
  endif()
  _sockspec_fuzz_support()

  # The harness once, linked twice: with the replay main and (SOCKSPEC_FUZZ) with the engine.
  add_library(fuzz-${name}-harness OBJECT ${ARG_SOURCES})
  target_link_libraries(fuzz-${name}-harness PUBLIC ${ARG_DEPS} sockspec_fuzz_support)
  sockspec_set_warnings(fuzz-${name}-harness)

  add_executable(fuzz-${name}-replay)
  target_link_libraries(fuzz-${name}-replay PRIVATE fuzz-${name}-harness
                                                    sockspec_fuzz_replay_main)
  if(SOCKSPEC_FUZZ AND NOT SOCKSPEC_SANITIZE AND SOCKSPEC_FUZZ_NO_MAIN_LIB)
    target_link_libraries(fuzz-${name}-replay PRIVATE "${SOCKSPEC_FUZZ_NO_MAIN_LIB}")
  endif()
  add_test(NAME fuzz-replay.${name} COMMAND fuzz-${name}-replay "${corpus}")
  set_tests_properties(fuzz-replay.${name} PROPERTIES LABELS fuzz TIMEOUT 120)

  if(SOCKSPEC_FUZZ)
    add_executable(fuzz-${name})
    target_link_libraries(fuzz-${name} PRIVATE fuzz-${name}-harness)
    separate_arguments(engine UNIX_COMMAND "${SOCKSPEC_FUZZ_ENGINE}")
    target_link_options(fuzz-${name} PRIVATE ${engine})
    set(dict "${SOCKSPEC_CORPORA_DIR}/${name}.dict")
    if(NOT EXISTS "${dict}")
      set(dict "")
    endif()
    add_test(NAME fuzz-run.${name}
             COMMAND ${PROJECT_SOURCE_DIR}/fuzz/run-fuzzer
                     --time ${SOCKSPEC_FUZZ_RUN_SECONDS}
                     --work "${CMAKE_BINARY_DIR}/fuzz-run/${name}"
                     --dict "${dict}"
                     $<TARGET_FILE:fuzz-${name}> "${corpus}")
    set_tests_properties(fuzz-run.${name} PROPERTIES LABELS fuzz TIMEOUT 300)
  endif()
endfunction()
