# sockspec_set_warnings(target): the project's warning flags, the same on GCC and Clang.
function(sockspec_set_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Woverloaded-virtual -Wconversion -Wsign-conversion
    -Wnull-dereference -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
  if(SOCKSPEC_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
