package dev.maas4j.core;

import dev.maas4j.api.UsageLedger;
import dev.maas4j.core.contract.UsageLedgerContract;

/** The usage ledger contract, run against {@link InMemoryStore}. */
class InMemoryUsageLedgerTest extends UsageLedgerContract {

    @Override
    protected UsageLedger newLedger() {
        return new InMemoryStore();
    }
}
