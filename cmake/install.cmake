# What `cmake --install` puts under the prefix, and the .deb `cpack -G DEB` makes of it:
#   bin/kernels
#   share/man/man1/kernels.1, kernels-COMMAND.1       (man/, one page per command)
#   share/bash-completion/completions/kernels         (bash-completion loads it on demand)
#   share/zsh/site-functions/_kernels                  (on zsh's default $fpath; under /usr,
#                                                       also share/zsh/vendor-completions for Debian)
#   share/fish/vendor_completions.d/kernels.fish       (fish's vendor directory)
# The completion scripts are printed by the built binary (`kernels completions SHELL`,
# cli/completions.cpp walks the CLI11 command tree), so they list exactly the commands
# and options the binary parses. Included from the top-level CMakeLists.txt after cli/.
include(GNUInstallDirs)

install(TARGETS kernels RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

file(GLOB KERNELS_MAN_PAGES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/man/*.1)
install(FILES ${KERNELS_MAN_PAGES} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# ---------------------------------------------------------------- shell completions
set(KERNELS_COMPLETIONS_DIR ${PROJECT_BINARY_DIR}/completions)
set(KERNELS_COMPLETION_FILES
  ${KERNELS_COMPLETIONS_DIR}/kernels.bash ${KERNELS_COMPLETIONS_DIR}/_kernels ${KERNELS_COMPLETIONS_DIR}/kernels.fish)
if(CMAKE_CROSSCOMPILING AND NOT CMAKE_CROSSCOMPILING_EMULATOR)
  # The binary cannot run here: no completion files, the rest installs as usual.
  message(STATUS "kernels: cross-compiling without CMAKE_CROSSCOMPILING_EMULATOR, so no shell completions are "
                 "installed; on the target, `kernels completions bash|zsh|fish` prints them")
  set(KERNELS_HAVE_COMPLETIONS OFF)
else()
  # A ';'-list would split on the command line: the script splits '|' back.
  string(REPLACE ";" "|" kernels_emulator "${CMAKE_CROSSCOMPILING_EMULATOR}")
  add_custom_command(
    OUTPUT ${KERNELS_COMPLETION_FILES}
    COMMAND ${CMAKE_COMMAND} -DKERNELS=$<TARGET_FILE:kernels> -DEMULATOR=${kernels_emulator}
            -DOUT_DIR=${KERNELS_COMPLETIONS_DIR} -P ${PROJECT_SOURCE_DIR}/cmake/completions.cmake
    DEPENDS kernels ${PROJECT_SOURCE_DIR}/cmake/completions.cmake
    COMMENT "kernels: shell completions (bash, zsh, fish)"
    VERBATIM)
  add_custom_target(kernels_completions ALL DEPENDS ${KERNELS_COMPLETION_FILES})
  install(FILES ${KERNELS_COMPLETIONS_DIR}/kernels.bash
          DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME kernels)
  install(FILES ${KERNELS_COMPLETIONS_DIR}/_kernels DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/site-functions)
  # Debian's zsh searches /usr/local/share/zsh/site-functions but, under /usr, only
  # vendor-completions: a /usr install (the .deb) puts a copy there too.
  install(CODE "if(CMAKE_INSTALL_PREFIX STREQUAL \"/usr\")
    file(INSTALL \"${KERNELS_COMPLETIONS_DIR}/_kernels\" DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions\")
  endif()")
  install(FILES ${KERNELS_COMPLETIONS_DIR}/kernels.fish DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
  set(KERNELS_HAVE_COMPLETIONS ON)
endif()

# ---------------------------------------------------------------- cpack -G DEB (from the build directory)
set(KERNELS_PACKAGE_MAINTAINER "kernels maintainers <kernels-maintainers@invalid>" CACHE STRING
    "Maintainer field of the .deb (set it for a release)")
set(CPACK_PACKAGE_NAME kernels)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${KERNELS_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "check, resolve, lock and verify Hugging Face kernel repositories")
set(CPACK_PACKAGE_DESCRIPTION
    "kernels does for Hugging Face kernel repositories what cargo and uv do for packages: it checks a\n"
    "kernel mapping (a transformers KernelConfig as TOML), resolves it against the Hub, writes the\n"
    "kernels.lock that Python's kernels library reads, installs what the lock pins into the HF cache\n"
    "and verifies it offline (hashes, metadata digests, Sigstore signatures). Built with CUDA, it also\n"
    "benchmarks its bundled kernels on the GPU.")
string(REPLACE ";" "" CPACK_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${KERNELS_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # kernels_0.1.0_amd64.deb
set(CPACK_STRIP_FILES ON)
find_program(KERNELS_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(KERNELS_DPKG_SHLIBDEPS)
  # dpkg-shlibdeps reads the binary's NEEDED libraries (libcurl4, libssl3, libstdc++6, libc6, ...).
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
  # The Debian 12 packages of the libraries the binary links (libcrypto.so.3 is in libssl3).
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libc6, libcurl4, libssl3, libstdc++6, libgcc-s1")
endif()
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion")
set(CPACK_GENERATOR DEB)
set(CPACK_SOURCE_GENERATOR "")
include(CPack)
