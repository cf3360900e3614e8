// The sectigo-csr command line. (Filled in by the CSR analysis and client work.)
process.stderr.write('sectigo-csr: not built yet\n');
process.exitCode = 2;
