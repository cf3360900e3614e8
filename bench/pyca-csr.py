# The peer measured beside sectigo-csr (bench/csr-inspect.bench.ts): pyca/cryptography reading
# each request the way the analysis does: parse, signature check, key size, subject, extensions.
# Usage: python3 bench/pyca-csr.py FILE...   Prints one JSON line: the median ms per request, in
# wall-clock time and in this process's CPU time (the bench's machine is shared: CPU time is what
# the work itself costs).
# Exits 3 with a note when cryptography is not installed (the bench then skips its line).
import json
import sys
import time

try:
    import cryptography
    from cryptography import x509
except ImportError:
    print(json.dumps({"missing": "the Python package cryptography is not installed"}))
    sys.exit(3)

requests = [open(path, "rb").read() for path in sys.argv[1:]]


def read(pem):
    request = x509.load_pem_x509_csr(pem)
    valid = request.is_signature_valid
    size = request.public_key().key_size
    subject = request.subject.rfc4514_string()
    extensions = [(extension.oid.dotted_string, extension.critical) for extension in request.extensions]
    return valid, size, subject, extensions


for pem in requests[:100]:
    read(pem)
times = []
cpu_times = []
for pem in requests:
    start = time.perf_counter()
    cpu_start = time.process_time()
    valid, _, _, _ = read(pem)
    cpu_times.append((time.process_time() - cpu_start) * 1000)
    times.append((time.perf_counter() - start) * 1000)
    if not valid:
        raise SystemExit("a benchmark request did not verify in pyca/cryptography")
times.sort()
cpu_times.sort()
print(
    json.dumps(
        {
            "median": times[len(times) // 2],
            "cpuMedian": cpu_times[len(cpu_times) // 2],
            "version": cryptography.__version__,
        }
    )
)
