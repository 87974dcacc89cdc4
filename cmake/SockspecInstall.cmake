# What `cmake --install` puts under the prefix besides the programs (each program's own
# CMakeLists.txt installs it): the pack and the reference profiles under share/sockspec/, where an
# installed `sockspec` looks for them relative to its own binary (harness/cli/pack.hpp), and a
# Debian package of all of it through CPack (`cpack -G DEB` in the build folder).

# The pack, with its data files; the authors' notes on missing engine features stay behind.
install(DIRECTORY "${PROJECT_SOURCE_DIR}/conformance/"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/sockspec/conformance"
        PATTERN "NEEDS*.md" EXCLUDE)
# The reference profiles, their shared exchanges and data. The third-party profiles stay behind:
# their scripts are found through the source tree's layout ({bindir}/../../../targets/...) and
# they are this project's evidence about other servers, run by its CI.
install(DIRECTORY "${PROJECT_SOURCE_DIR}/targets/profiles/"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/sockspec/profiles"
        PATTERN "thirdparty" EXCLUDE)

set(CPACK_PACKAGE_NAME sockspec)
set(CPACK_PACKAGE_VENDOR sockspec)
set(CPACK_PACKAGE_CONTACT "sockspec maintainers <sockspec@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Conformance test suite and fuzzer for TCP/UDP servers and clients")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
# The shared libraries the programs link (fmt, yaml-cpp, libstdc++...), as dpkg-shlibdeps finds
# them in the built binaries.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_GENERATOR DEB)
include(CPack)
