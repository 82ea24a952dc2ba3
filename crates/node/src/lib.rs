//! A Fapiao node: configuration, mempool, keystore, and the wiring of consensus, ledger and API.
