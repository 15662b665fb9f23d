# Sourced (not run) by ./forwardgnn and the scripts that start the tool: the native environment of its process.
#
# Allocator: tcmalloc (gperftools' minimal build, Debian's libtcmalloc-minimal4), preloaded. glibc's heap fragments
# around each epoch's megabyte-sized tensors, so its peak RSS grows by 80-130 MiB over a run whose live memory is
# flat; tcmalloc's size classes do not (BP-GCN L4 on Cora_ML: 469 -> 276 MiB, docs/performance.md). It is fetched
# once, checksum-verified, into artifacts/native/. Where that fails, or with FORWARDGNN_ALLOCATOR=glibc, glibc is
# used with transparent huge pages for its large allocations instead.
#
# Expects $root (the repository root). Exports LD_PRELOAD and the allocators' settings; the user's own are kept.

native_dir="$root/artifacts/native"
tcmalloc_so="$native_dir/libtcmalloc_minimal.so.4"
tcmalloc_deb_url="http://deb.debian.org/debian/pool/main/g/google-perftools/libtcmalloc-minimal4_2.10-1_amd64.deb"
tcmalloc_deb_sha256="464aa2e804b0d48300ad71edfe525599deed8765db4af7a8d9de60326dc8e4c7"

fetch_tcmalloc() {
  [[ "$(uname -sm)" == "Linux x86_64" ]] || return 1
  local tmp
  tmp="$(mktemp -d)" || return 1
  if curl -fsL --connect-timeout 5 --max-time 30 -o "$tmp/t.deb" "$tcmalloc_deb_url" \
    && echo "$tcmalloc_deb_sha256  $tmp/t.deb" | sha256sum -c --quiet - \
    && (cd "$tmp" && ar x t.deb && tar -xf data.tar.*) \
    && mkdir -p "$native_dir" \
    && cp -L "$tmp"/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 "$tcmalloc_so.part" \
    && mv "$tcmalloc_so.part" "$tcmalloc_so"; then
    rm -rf "$tmp"
  else
    rm -rf "$tmp"
    return 1
  fi
}

if [[ "${FORWARDGNN_ALLOCATOR:-tcmalloc}" == tcmalloc && " ${LD_PRELOAD:-} " != *tcmalloc* ]]; then
  if [[ -f "$tcmalloc_so" ]] || fetch_tcmalloc; then
    export LD_PRELOAD="$tcmalloc_so${LD_PRELOAD:+ $LD_PRELOAD}"
  else
    echo "forwardgnn: could not fetch tcmalloc ($tcmalloc_deb_url); using glibc's allocator" >&2
  fi
fi
# Freed pages stay mapped: returning them costs a page fault per 4 KiB at the next epoch (SF-GCN on a 100k-node
# graph: 124 -> 91 ms per epoch) and peak RSS is no higher. Large graphs allocate single tensors above 1 GiB.
export TCMALLOC_RELEASE_RATE="${TCMALLOC_RELEASE_RATE:-0}"
export TCMALLOC_LARGE_ALLOC_REPORT_THRESHOLD="${TCMALLOC_LARGE_ALLOC_REPORT_THRESHOLD:-1099511627776}"
# glibc (when it is the allocator): transparent huge pages for its large allocations, since a tensor of tens of MiB
# is mmapped afresh every time it is allocated, and faulting it in 4 KiB at a time costs more than the arithmetic.
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.hugetlb=1}"
