#!/bin/bash -eu
# Builds sockspec's libFuzzer harnesses the OSS-Fuzz/ClusterFuzzLite way: the toolchain and
# sanitizer flags come from $CC $CXX $CFLAGS $CXXFLAGS, the engine from $LIB_FUZZING_ENGINE;
# each fuzzer goes to $OUT with its seed corpus (<fuzzer>_seed_corpus.zip), dictionary and
# options (<fuzzer>.options: libFuzzer flags such as max_len).
#
# Locally, without Docker (from the repository root):
#   CC=clang CXX=clang++ CFLAGS="-fsanitize=address,fuzzer-no-link" \
#   CXXFLAGS="-fsanitize=address,fuzzer-no-link" LIB_FUZZING_ENGINE=-fsanitize=fuzzer \
#   SRC="$PWD/.." OUT=/tmp/cflite-out .clusterfuzzlite/build.sh
src="${SRC}/sockspec"
[ -f "${src}/CMakeLists.txt" ] || src="$(cd "$(dirname "$0")/.." && pwd)"
build="${WORK:-${src}/build}/cflite"
mkdir -p "${OUT}"

# The libraries come from the distribution, built against libstdc++: OSS-Fuzz's -stdlib=libc++
# cannot link with them (fine for ASan and UBSan; MSan would need them built from source).
CXXFLAGS="${CXXFLAGS//-stdlib=libc++/}"

# SOCKSPEC_SANITIZE stays empty: the sanitizer is in CFLAGS/CXXFLAGS. Warnings are not errors
# here: OSS-Fuzz's clang is newer than the one CI checks against.
cmake -S "${src}" -B "${build}" -G Ninja \
  -DCMAKE_C_COMPILER="${CC}" -DCMAKE_CXX_COMPILER="${CXX}" \
  -DCMAKE_C_FLAGS="${CFLAGS}" -DCMAKE_CXX_FLAGS="${CXXFLAGS}" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_BUILD_RPATH='$ORIGIN/lib' \
  -DSOCKSPEC_FUZZ=ON -DSOCKSPEC_FUZZ_ENGINE="${LIB_FUZZING_ENGINE}" \
  -DSOCKSPEC_SANITIZE= -DSOCKSPEC_BENCHMARKS=OFF -DSOCKSPEC_WERROR=OFF

harnesses=$(sed -n 's/^sockspec_add_fuzzer(\([a-z_]*\) .*/\1/p' "${src}/fuzz/CMakeLists.txt")
targets=()
for h in ${harnesses}; do targets+=("fuzz-${h}"); done
cmake --build "${build}" --target "${targets[@]}"

# The runner image lacks the shared libraries the fuzzers link from packages (yaml-cpp, fmt):
# they travel in $OUT/lib, found through the fuzzers' RPATH $ORIGIN/lib.
mkdir -p "${OUT}/lib"
for h in ${harnesses}; do
  fuzzer="fuzz-${h}"
  cp "${build}/bin/${fuzzer}" "${OUT}/${fuzzer}"
  ldd "${build}/bin/${fuzzer}" | awk '/=> \// {print $3}' |
    grep -E 'lib(yaml-cpp|fmt)\.so' | xargs -r cp -L -t "${OUT}/lib/"
  rm -f "${OUT}/${fuzzer}_seed_corpus.zip"
  (cd "${src}/corpora/${h}" && cmake -E tar cf "${OUT}/${fuzzer}_seed_corpus.zip" --format=zip -- *)
  if [ -f "${src}/corpora/${h}.dict" ]; then
    cp "${src}/corpora/${h}.dict" "${OUT}/${fuzzer}.dict"
  fi
  # libFuzzer's flags (max_len), which the runner reads from <fuzzer>.options next to the fuzzer.
  if [ -f "${src}/corpora/${h}.options" ]; then
    cp "${src}/corpora/${h}.options" "${OUT}/${fuzzer}.options"
  fi
done
echo "build.sh: built ${targets[*]} into ${OUT}"
