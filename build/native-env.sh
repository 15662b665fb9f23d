# Sourced (not run) by ./forwardgnn, by the installed tool (ForwardGnn.Tool re-executes itself under this file, shipped
# beside it: src/ForwardGnn.Cli/NativeEnvironment.cs) and by the scripts that start the tool: the native environment
# of its process. docs/runtime.md lists every change it makes; each is said once, on first use, in one line on stderr
# with the switch that turns it off.
#
# Allocator: tcmalloc (gperftools' minimal build), preloaded. glibc's heap fragments around each epoch's
# megabyte-sized tensors, so its peak RSS grows by 80-130 MiB over a run whose live memory is flat; tcmalloc's size
# classes do not (BP-GCN L4 on Cora_ML: 480 -> 282 MiB, docs/performance.md). The system's libtcmalloc_minimal.so.4 is
# used where installed (Debian: apt-get install libtcmalloc-minimal4); else Debian's package is fetched once,
# checksum-verified, into the native folder (saying so first). glibc's allocator is used instead, with transparent
# huge pages for its large allocations, with FORWARDGNN_ALLOCATOR=glibc, when LD_PRELOAD is already set, off Linux
# x86_64, or when the fetch fails; a failed fetch is said once and not retried until NATIVE/fetch-failed is removed.
#
# The native folder: $FORWARDGNN_NATIVE_DIR, else $root/artifacts/native ($root: the repository root). Exports
# LD_PRELOAD (the allocator, MKL's dispatch), the allocators' settings (the user's own are kept),
# FORWARDGNN_NATIVE_DIR and FORWARDGNN_NATIVE_ENV=1 (the process is prepared: the tool does not re-execute itself).
# FORWARDGNN_NATIVE_ENV=off makes no change at all.

if [[ "${FORWARDGNN_NATIVE_ENV:-}" != off ]]; then
native_dir="${FORWARDGNN_NATIVE_DIR:-$root/artifacts/native}"
tcmalloc_so="$native_dir/libtcmalloc_minimal.so.4"
tcmalloc_system=(/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 /usr/lib64/libtcmalloc_minimal.so.4 /usr/lib/libtcmalloc_minimal.so.4)
tcmalloc_deb="pool/main/g/google-perftools/libtcmalloc-minimal4_2.10-1_amd64.deb"
tcmalloc_deb_sha256="464aa2e804b0d48300ad71edfe525599deed8765db4af7a8d9de60326dc8e4c7"
tcmalloc_mirrors=(http://deb.debian.org/debian http://snapshot.debian.org/archive/debian/20250520T000000Z)

tell_once() {   # KEY LINE: the line on stderr, the first time this native folder sees KEY
  [[ -e "$native_dir/told-$1" ]] && return 0
  echo "forwardgnn: $2" >&2
  { mkdir -p "$native_dir" && : >"$native_dir/told-$1"; } 2>/dev/null || true   # unwritable: said again next time
}

# ld.so only warns about a library it cannot preload, and the program still runs: each file is tried once, and a stamp
# in the native folder newer than the file remembers that it loaded (no process started on the next command).
loads() { [[ -f "$1" && -z "$(LD_PRELOAD="$1" /bin/true 2>&1)" ]]; }
remember_loads() { { mkdir -p "$native_dir" && : >"$native_dir/loads-${1//\//_}"; } 2>/dev/null || true; }
preloads_cleanly() {
  [[ -f "$1" && "$native_dir/loads-${1//\//_}" -nt "$1" ]] && return 0
  loads "$1" && remember_loads "$1"
}

# The preloads compiled from C sources beside this file, once, with the machine's C compiler.
here="${BASH_SOURCE[0]%/*}"
[[ "$here" == "${BASH_SOURCE[0]}" ]] && here=.
[[ "$here" == /* ]] || here="$(cd "$here" && pwd)"   # the launchers source this file by its absolute path
x86_64_linux() { [[ "$OSTYPE" == linux* && "$HOSTTYPE" == x86_64 ]]; }

compiled_preload() {   # SOURCE NAME WHAT SWITCH: $native_dir/libNAME.so built from the current SOURCE and loadable here, else built now
  local so="$native_dir/lib$2.so" tmp
  [[ ! "$1" -nt "$so" ]] && preloads_cleanly "$so" && return 0
  [[ ! -f "$native_dir/$2-failed" ]] && command -v cc >/dev/null && mkdir -p "$native_dir" || return 1
  echo "forwardgnn: compiling ${1##*/} ($3) with cc into $native_dir, once; $4 skips it" >&2
  tmp="$(mktemp "$native_dir/.$2.XXXXXX")" || return 1   # a temporary name, renamed: a process beside us never loads half a file
  if cc -O2 -shared -fPIC -o "$tmp" "$1" 2>/dev/null && loads "$tmp"; then
    mv -f "$tmp" "$so"
    remember_loads "$so"
  else
    rm -f "$tmp"
    : 2>/dev/null >"$native_dir/$2-failed" || true
    echo "forwardgnn: could not build $1 with cc; going on without it (retry: rm $native_dir/$2-failed)" >&2
    return 1
  fi
}

fetch_tcmalloc() {
  command -v curl >/dev/null && command -v ar >/dev/null && command -v sha256sum >/dev/null || return 1
  mkdir -p "$native_dir" || return 1
  echo "forwardgnn: fetching Debian's libtcmalloc-minimal4 2.10 (93 KB, sha256-checked) into $native_dir, once;" \
       "FORWARDGNN_ALLOCATOR=glibc skips it, apt-get install libtcmalloc-minimal4 makes it unneeded" >&2
  local tmp mirror ok=1
  tmp="$(mktemp -d "$native_dir/.fetch.XXXXXX")" || return 1
  for mirror in "${tcmalloc_mirrors[@]}"; do
    if curl -fsL --connect-timeout 5 --max-time 30 -o "$tmp/t.deb" "$mirror/$tcmalloc_deb" \
      && echo "$tcmalloc_deb_sha256  $tmp/t.deb" | sha256sum -c --quiet - >/dev/null 2>&1 \
      && (cd "$tmp" && ar x t.deb && tar -xf data.tar.*) 2>/dev/null \
      && cp -L "$tmp/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4" "$tmp/lib.so" \
      && mv -f "$tmp/lib.so" "$tcmalloc_so"; then   # a rename: a process beside us sees the old file or the whole new one
      ok=0
      break
    fi
  done
  rm -rf "$tmp"
  return $ok
}

find_tcmalloc() {   # the installed library first, then the one fetched before, then a fetch
  local candidate
  for candidate in "${tcmalloc_system[@]}"; do
    preloads_cleanly "$candidate" && { tcmalloc_found="$candidate"; return 0; }
  done
  preloads_cleanly "$tcmalloc_so" && { tcmalloc_found="$tcmalloc_so"; return 0; }
  [[ ! -f "$native_dir/fetch-failed" ]] && fetch_tcmalloc && preloads_cleanly "$tcmalloc_so" \
    && { tcmalloc_found="$tcmalloc_so"; return 0; }
  return 1
}

if [[ "${FORWARDGNN_ALLOCATOR:-tcmalloc}" == tcmalloc && -z "${LD_PRELOAD:-}" \
      && "$native_dir" != *[[:space:]:]* ]] && x86_64_linux; then
  if find_tcmalloc; then
    export LD_PRELOAD="$tcmalloc_found"
    tell_once allocator "allocator: tcmalloc, preloaded ($tcmalloc_found): peak memory 35-50 % lower than glibc's; off: FORWARDGNN_ALLOCATOR=glibc"
  elif [[ ! -f "$native_dir/fetch-failed" ]]; then
    mkdir -p "$native_dir" && : >"$native_dir/fetch-failed"
    echo "forwardgnn: could not fetch tcmalloc ($tcmalloc_deb); using glibc's allocator (retry: rm $native_dir/fetch-failed)" >&2
  fi
fi
# MKL's kernels by CPU features (FORWARDGNN_MKL_DISPATCH=features, the default; =mkl keeps MKL's own choice): on
# x86-64 CPUs that are not Intel's, MKL runs its generic AVX2-class GEMM even where the CPU has AVX-512. A one-line
# preload (mkl-cpu-dispatch.c beside this file, compiled once with the machine's C compiler) lets it pick by feature
# flags: BP-GCN L4 on Cora_ML, 2 threads, AMD EPYC with AVX-512: median epoch 11.1-11.3 -> 8.5-9.5 ms
# (docs/performance.md).
is_intel() {
  local line
  while IFS= read -r line; do
    [[ "$line" == vendor_id* ]] && { [[ "$line" == *GenuineIntel* ]]; return; }
  done </proc/cpuinfo
  return 1
} 2>/dev/null
if [[ "${FORWARDGNN_MKL_DISPATCH:-features}" == features && "$native_dir" != *[[:space:]:]* ]] && x86_64_linux && ! is_intel \
    && compiled_preload "$here/mkl-cpu-dispatch.c" mkl-cpu-dispatch "one function: MKL picks its kernels by CPU features" FORWARDGNN_MKL_DISPATCH=mkl; then
  dispatch_so="$native_dir/libmkl-cpu-dispatch.so"
  [[ ":${LD_PRELOAD:-}:" == *":$dispatch_so:"* ]] || export LD_PRELOAD="${LD_PRELOAD:+$LD_PRELOAD:}$dispatch_so"
  tell_once mkl-dispatch "MKL: GEMM kernels chosen by the CPU's features, not its vendor (preloaded $dispatch_so); off: FORWARDGNN_MKL_DISPATCH=mkl"
fi
# tcmalloc's heap on transparent huge pages (FORWARDGNN_HUGE_HEAP=on, the default; =off keeps 4 KiB pages): a preload
# ahead of tcmalloc (huge-heap.c beside this file) grows the heap in 2 MiB blocks marked MADV_HUGEPAGE, until train's
# first check ends it (later blocks stay on 4 KiB pages). Where a page fault is dear, most of start-up's system time
# was faulting in the heap 4 KiB at a time: on a virtual machine with 10 us faults, 45-54k -> 17-19k faults and the
# first step of SF-T2L-GCN L4 on Cora_ML 0.1-0.2 s sooner, peak RSS 2-22 MiB higher (docs/performance.md).
# The kernel's setting decides (/sys/kernel/mm/transparent_hugepage/enabled): with "never", nothing changes.
if [[ "${FORWARDGNN_HUGE_HEAP:-on}" == on && ":${LD_PRELOAD:-}:" == *tcmalloc* ]] \
    && compiled_preload "$here/huge-heap.c" huge-heap "one function: tcmalloc's heap grows in 2 MiB blocks on huge pages" FORWARDGNN_HUGE_HEAP=off; then
  huge_heap_so="$native_dir/libhuge-heap.so"
  [[ ":$LD_PRELOAD:" == *":$huge_heap_so:"* ]] || export LD_PRELOAD="$huge_heap_so:$LD_PRELOAD"   # ahead of tcmalloc, whose sbrk calls resolve to it
  tell_once huge-heap "tcmalloc's heap on transparent huge pages (preloaded $huge_heap_so): fewer page faults at start-up; off: FORWARDGNN_HUGE_HEAP=off"
fi
# Freed pages stay mapped: returning them costs a page fault per 4 KiB at the next epoch (SF-GCN on a 100k-node
# graph: 124 -> 91 ms per epoch) and peak RSS is no higher. Large graphs allocate single tensors above 1 GiB.
export TCMALLOC_RELEASE_RATE="${TCMALLOC_RELEASE_RATE:-0}"
export TCMALLOC_LARGE_ALLOC_REPORT_THRESHOLD="${TCMALLOC_LARGE_ALLOC_REPORT_THRESHOLD:-1099511627776}"
# glibc (when it is the allocator): transparent huge pages for its large allocations, since a tensor of tens of MiB
# is mmapped afresh every time it is allocated, and faulting it in 4 KiB at a time costs more than the arithmetic.
if [[ -z "${GLIBC_TUNABLES:-}" ]]; then
  export GLIBC_TUNABLES=glibc.malloc.hugetlb=1
  [[ ":${LD_PRELOAD:-}:" == *tcmalloc* ]] \
    || tell_once hugetlb "glibc malloc: transparent huge pages for large allocations (GLIBC_TUNABLES=glibc.malloc.hugetlb=1); off: GLIBC_TUNABLES=glibc.malloc.hugetlb=0"
fi
# .NET's youngest GC generation: a 4 MiB budget instead of the runtime's default, sized from the CPU's cache. The
# tool's managed garbage is small tensor handles, collected as well from a small budget, and the larger one stays
# resident: peak RSS 310 -> 291 MiB (SF-T2L-GCN L4 on Cora_ML), no slower (docs/performance.md). The user's own is kept.
if [[ -z "${DOTNET_GCgen0size:-}" ]]; then
  export DOTNET_GCgen0size=0x400000
  tell_once gc-gen0 ".NET GC: 4 MiB youngest-generation budget (DOTNET_GCgen0size=0x400000): lower peak memory; off: set DOTNET_GCgen0size yourself"
fi
export FORWARDGNN_NATIVE_DIR="$native_dir" FORWARDGNN_NATIVE_ENV=1
fi
