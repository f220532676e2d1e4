# Compiler warnings and sanitizers shared by every perfectex target.
function(perfectex_target_options target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Woverloaded-virtual -Wcast-align -Wimplicit-fallthrough)
  if(PERFECTEX_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

if(PERFECTEX_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
