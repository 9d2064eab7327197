/**
 * Limits per account shared by the app server and the user's-server side. Not exported: an implementation detail of
 * this module.
 */
package io.pushcomponent.core.limits;
