# Run at build time (cmake -P): writes OUT_DIR/kernels.bash, OUT_DIR/_kernels (zsh) and
# OUT_DIR/kernels.fish from `KERNELS completions SHELL` (always rewritten: they are the
# outputs of a rule that depends on the binary, so they must end up newer than it).
# Inputs: KERNELS (the built binary), OUT_DIR, EMULATOR ('|'-separated; empty unless
# cross-compiling with CMAKE_CROSSCOMPILING_EMULATOR).
string(REPLACE "|" ";" emulator "${EMULATOR}")
file(MAKE_DIRECTORY "${OUT_DIR}")
foreach(pair "bash=kernels.bash" "zsh=_kernels" "fish=kernels.fish")
  string(REPLACE "=" ";" pair "${pair}")
  list(GET pair 0 shell)
  list(GET pair 1 name)
  execute_process(COMMAND ${emulator} "${KERNELS}" completions ${shell}
                  OUTPUT_VARIABLE text ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0 OR text STREQUAL "")
    message(FATAL_ERROR "`kernels completions ${shell}` failed (${rc}): ${err}")
  endif()
  file(WRITE "${OUT_DIR}/${name}" "${text}")
endforeach()
