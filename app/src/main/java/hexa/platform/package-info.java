/**
 * The shared kernel: tenant context, SQL helpers, crypto, live updates, errors, the page frame and the
 * clock. Every feature may use all of it (an open module); it depends on no feature.
 */
@ApplicationModule(type = ApplicationModule.Type.OPEN)
package hexa.platform;

import org.springframework.modulith.ApplicationModule;
