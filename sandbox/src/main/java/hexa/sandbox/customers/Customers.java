package hexa.sandbox.customers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/** Every simulated customer, created on first use. */
@Component
public class Customers {

    private static final String[] NAMES = {"Sheena Nelson", "Kerry Fisher", "Aarav Patel", "Lucía Gómez", "Wei Chen",
        "Amara Okafor", "Priya Shah", "Jonas Berg", "Fatima Zahra", "Diego Santos"};

    private final Map<String, Customer> byKey = new ConcurrentHashMap<>();

    /**
     * The customer filed under this id, created if new. An id shaped like a business-scoped user id
     * ("US.1349...") makes a customer without a phone number.
     */
    public Customer obtain(String id, String profileName) {
        Customer customer = byKey.computeIfAbsent(id, key -> Customer.isBusinessScopedUserId(key)
                ? new Customer(null, key, nameFor(key, profileName))
                : new Customer(key, null, nameFor(key, profileName)));
        customer.rename(profileName);
        return customer;
    }

    public Optional<Customer> find(String id) {
        return Optional.ofNullable(id == null ? null : byKey.get(id));
    }

    /** The customer moved to a new phone number; the business knows them under the new wa_id from now on. */
    public void changeNumber(Customer customer, String newWaId) {
        byKey.remove(customer.key());
        customer.changeWaId(newWaId);
        byKey.put(newWaId, customer);
    }

    public List<Customer> all() {
        return new ArrayList<>(byKey.values());
    }

    private static String nameFor(String key, String given) {
        if (given != null && !given.isBlank()) {
            return given;
        }
        return NAMES[Math.floorMod(key.hashCode(), NAMES.length)];
    }
}
