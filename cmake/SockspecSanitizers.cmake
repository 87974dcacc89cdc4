# Applies SOCKSPEC_SANITIZE to everything built after this point.
if(SOCKSPEC_SANITIZE)
  set(_san_flags -fsanitize=${SOCKSPEC_SANITIZE} -fno-omit-frame-pointer)
  if(SOCKSPEC_SANITIZE MATCHES "undefined")
    list(APPEND _san_flags -fno-sanitize-recover=all)
  endif()
  add_compile_options(${_san_flags})
  add_link_options(${_san_flags})
  # Line tables are all a sanitizer report needs (file:line in its stack traces); full debug info
  # made the sanitizer builds a good part of CI's time. Comes after RelWithDebInfo's -g: it wins.
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    add_compile_options(-gline-tables-only)
  endif()
endif()
