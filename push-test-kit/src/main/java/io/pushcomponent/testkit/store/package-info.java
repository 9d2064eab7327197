/**
 * The contract suites of the registration stores, for store authors: extend
 * {@link io.pushcomponent.testkit.store.DeviceRegistrationStoreContract} (app server) and
 * {@link io.pushcomponent.testkit.store.AccountPushRegistrationStoreContract} (user's server) in a JUnit 5 test,
 * return your store from the abstract methods, and every rule of
 * {@link io.pushcomponent.api.store.DeviceRegistrationStore} and
 * {@link io.pushcomponent.api.store.AccountPushRegistrationStore} runs against it. push-core's own stores run the
 * same suites. Needs JUnit Jupiter and AssertJ on the test class path.
 */
package io.pushcomponent.testkit.store;
