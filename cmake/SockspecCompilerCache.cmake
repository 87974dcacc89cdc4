# ccache when it is installed (ci/setup installs it): a rebuild of unchanged sources, in another
# checkout or another preset's folder of the same compiler and flags, comes from its cache
# (~/.cache/ccache). SOCKSPEC_CCACHE=OFF, or a CMAKE_CXX_COMPILER_LAUNCHER of your own, turns it
# off. Paths under the source folder are hashed relative to it (CCACHE_BASEDIR), so two checkouts
# share hits; the sloppiness lets the tests' precompiled gtest header be cached too.
option(SOCKSPEC_CCACHE "Compile through ccache when it is installed" ON)
find_program(SOCKSPEC_CCACHE_PROGRAM ccache)
if(SOCKSPEC_CCACHE AND SOCKSPEC_CCACHE_PROGRAM AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER
      env "CCACHE_BASEDIR=${CMAKE_SOURCE_DIR}" CCACHE_NOHASHDIR=true
      CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
      "${SOCKSPEC_CCACHE_PROGRAM}")
  # GCC: ccache can hash a precompiled header only through a -fpch-preprocess preprocessing.
  add_compile_options($<$<CXX_COMPILER_ID:GNU>:-fpch-preprocess>)
endif()
