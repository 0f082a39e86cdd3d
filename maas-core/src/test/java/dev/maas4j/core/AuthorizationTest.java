package dev.maas4j.core;

import dev.maas4j.api.AdmissionRequest;
import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.DenialReason;
import dev.maas4j.api.Grant;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.RateLimit;
import dev.maas4j.api.Subject;
import dev.maas4j.api.SubjectSet;
import dev.maas4j.api.Subscription;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthorizationTest {

    private static DenialReason reason(Lease lease) {
        return lease.admission().denial().orElseThrow().reason();
    }

    private static String subscriptionOf(Lease lease) {
        Grant grant = lease.admission().grant().orElseThrow();
        return grant.subscription().name();
    }

    @Test
    void unknownModelIs404() {
        try (EngineFixture f = new EngineFixture()) {
            Lease lease = f.admit(f.key("alice"), "nope");
            assertEquals(DenialReason.MODEL_NOT_FOUND, reason(lease));
            assertEquals(404, lease.admission().denial().orElseThrow().httpStatus());
        }
    }

    @Test
    void disabledModelIs403() {
        try (EngineFixture f = new EngineFixture()) {
            String key = f.key("alice");
            f.store.putModel(f.store.findModel("granite").orElseThrow().toBuilder().enabled(false).build());
            assertEquals(DenialReason.MODEL_DISABLED, reason(f.admit(key, "granite")));
        }
    }

    @Test
    void userOutsideEveryPolicyIs403() {
        try (EngineFixture f = new EngineFixture()) {
            Lease lease = f.admit(f.key("mallory"), "granite");
            assertEquals(DenialReason.NOT_AUTHORIZED, reason(lease));
            assertEquals(403, lease.admission().denial().orElseThrow().httpStatus());
        }
    }

    @Test
    void subscriptionWithoutPolicyIs403() {
        try (EngineFixture f = new EngineFixture()) {
            f.store.setGroups("carol", "contractors");
            f.store.putSubscription(Subscription.builder("contract").owner(SubjectSet.groups("contractors"))
                    .model("granite").build());
            assertEquals(DenialReason.NOT_AUTHORIZED, reason(f.admit(f.key("carol"), "granite")));
        }
    }

    @Test
    void policyWithoutSubscriptionIs403SayingSo() {
        try (EngineFixture f = new EngineFixture()) {
            f.store.putPolicy(AuthPolicy.of("bob-access", SubjectSet.users("bob"), "granite"));
            Lease lease = f.admit(f.key("bob"), "granite");
            assertEquals(DenialReason.NO_SUBSCRIPTION, reason(lease));
            assertTrue(lease.admission().denial().orElseThrow().message().contains("No subscription"));
        }
    }

    @Test
    void policyGrantingTheUserDirectlyIsEnough() {
        try (EngineFixture f = new EngineFixture()) {
            f.store.putPolicy(AuthPolicy.of("bob-access", SubjectSet.users("bob"), "granite"));
            f.store.putSubscription(Subscription.builder("bob-sub").owner(SubjectSet.users("bob"))
                    .model("granite").build());
            assertTrue(f.admit(f.key("bob"), "granite").allowed());
        }
    }

    @Test
    void userRemovedFromAGroupLosesItsAccessAtOnce() {
        try (EngineFixture f = new EngineFixture()) {
            String key = f.key("alice");
            assertTrue(f.admit(key, "granite").allowed());
            f.store.setGroups("alice");
            assertEquals(DenialReason.NOT_AUTHORIZED, reason(f.admit(key, "granite")));
            f.store.setGroups("alice", "dev");
            assertTrue(f.admit(key, "granite").allowed());
        }
    }

    @Test
    void policyRemovedTakesEffectOnTheNextRequest() {
        try (EngineFixture f = new EngineFixture()) {
            String key = f.key("alice");
            assertTrue(f.admit(key, "granite").allowed());
            f.store.removePolicy("dev-access");
            assertEquals(DenialReason.NOT_AUTHORIZED, reason(f.admit(key, "granite")));
        }
    }

    @Test
    void highestPrioritySubscriptionIsCharged() {
        try (EngineFixture f = new EngineFixture()) {
            f.store.putSubscription(Subscription.builder("premium").priority(20).owner(SubjectSet.groups("dev"))
                    .model("granite", RateLimit.of(10, "1m")).build());
            assertEquals("premium", subscriptionOf(f.admit(f.key("alice"), "granite")));
        }
    }

    @Test
    void tiesGoToTheLargerTokenLimitThenToTheName() {
        try (EngineFixture f = new EngineFixture()) {
            f.store.putSubscription(Subscription.builder("bigger").owner(SubjectSet.groups("dev"))
                    .model("granite", RateLimit.of(5_000, "1m")).build());
            String key = f.key("alice");
            assertEquals("bigger", subscriptionOf(f.admit(key, "granite")));
            f.store.putSubscription(Subscription.builder("another").owner(SubjectSet.groups("dev"))
                    .model("granite", RateLimit.of(5_000, "1m")).build());
            assertEquals("another", subscriptionOf(f.admit(key, "granite")));
        }
    }

    @Test
    void keyBoundToASubscriptionIsChargedToItEvenWhenAnotherRanksHigher() {
        try (EngineFixture f = new EngineFixture()) {
            f.store.putSubscription(Subscription.builder("premium").priority(20).owner(SubjectSet.groups("dev"))
                    .model("granite").build());
            String key = f.engine.createKey(KeyRequest.builder(Subject.user("alice"), "k").subscription("free")
                    .build()).secret().reveal();
            assertEquals("free", subscriptionOf(f.admit(key, "granite")));
            // the bound subscription stops covering the user: the key is refused, not silently moved
            f.store.putSubscription(Subscription.builder("free").owner(SubjectSet.groups("others"))
                    .model("granite").build());
            assertEquals(DenialReason.SUBSCRIPTION_NOT_ELIGIBLE, reason(f.admit(key, "granite")));
        }
    }

    @Test
    void requestedSubscriptionIsCheckedAgainstEligibility() {
        try (EngineFixture f = new EngineFixture()) {
            f.store.putSubscription(Subscription.builder("premium").priority(20).owner(SubjectSet.groups("dev"))
                    .model("granite").build());
            f.store.putSubscription(Subscription.builder("elsewhere").owner(SubjectSet.groups("others"))
                    .model("granite").build());
            String key = f.key("alice");
            Lease chosen = f.engine.admit(AdmissionRequest.builder(key, "granite").requestedSubscription("free").build());
            assertEquals("free", subscriptionOf(chosen));
            Lease foreign = f.engine.admit(AdmissionRequest.builder(key, "granite")
                    .requestedSubscription("elsewhere").build());
            assertEquals(DenialReason.SUBSCRIPTION_NOT_ELIGIBLE, reason(foreign));
        }
    }

    @Test
    void accessibleModelsListOnlyWhatTheKeyMayCallWithItsSubscriptionsBestFirst() {
        try (EngineFixture f = new EngineFixture()) {
            f.store.putModel(ModelRef.builder("secret-model").build());
            f.store.putSubscription(Subscription.builder("premium").priority(20).owner(SubjectSet.groups("dev"))
                    .model("granite").build());
            Authentication auth = f.engine.authenticate(f.key("alice"));
            List<ModelAccess> models = f.engine.catalog().accessibleModels(auth.key().orElseThrow(), auth.identity().orElseThrow());
            assertEquals(1, models.size());
            assertEquals("granite", models.get(0).model().name());
            assertEquals(List.of("premium", "free"), models.get(0).subscriptions());
        }
    }
}
