# Runs a built program and writes its stdout to a file, failing the build when it fails:
#   cmake -DPROGRAM=path -DARGS="a;b" -DOUTPUT=file -P SockspecGenerate.cmake
# Used for what `sockspec` generates from its own command line (the man page, completions).
get_filename_component(dir "${OUTPUT}" DIRECTORY)
file(MAKE_DIRECTORY "${dir}")
execute_process(COMMAND "${PROGRAM}" ${ARGS}
                OUTPUT_FILE "${OUTPUT}.tmp"
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  file(REMOVE "${OUTPUT}.tmp")
  message(FATAL_ERROR "${PROGRAM} ${ARGS}: exit status ${status}")
endif()
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
