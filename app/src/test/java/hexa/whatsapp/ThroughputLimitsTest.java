package hexa.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.support.MutableClock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ThroughputLimitsTest {

    private final MutableClock clock = new MutableClock();
    private final ThroughputLimits limits = new ThroughputLimits(clock);
    private final UUID number = UUID.randomUUID();

    @Test
    void a_number_sends_up_to_its_messages_per_second_then_waits() {
        frozen();
        for (int i = 0; i < 80; i++) {
            assertThat(limits.reserve(number, 80, "recipient-" + i)).isZero();
        }
        Duration wait = limits.reserve(number, 80, "recipient-80");
        assertThat(wait).as("until the first of them is a second (and the margin) old").isPositive()
                .isLessThanOrEqualTo(ThroughputLimits.WINDOW.plusMillis(1));
    }

    @Test
    void one_person_gets_a_short_burst_then_one_message_every_six_seconds() {
        frozen();
        for (int i = 0; i < ThroughputLimits.PAIR_BURST; i++) {
            assertThat(limits.reserve(number, 80, "same-person")).isZero();
        }
        Duration wait = limits.reserve(number, 80, "same-person");
        assertThat(wait).isGreaterThan(Duration.ofSeconds(5)).isLessThanOrEqualTo(Duration.ofSeconds(6));
        assertThat(limits.reserve(number, 80, "someone-else")).as("others are not held up").isZero();
    }

    @Test
    void waiting_refills_the_allowance() {
        frozen();
        for (int i = 0; i < 5; i++) {
            limits.reserve(number, 5, "r" + i);
        }
        assertThat(limits.reserve(number, 5, "r5")).isPositive();
        clock.advance(Duration.ofMillis(999));
        assertThat(limits.reserve(number, 5, "r6")).as("never more than 5 in any second").isPositive();
        clock.advance(ThroughputLimits.WINDOW.minusMillis(999).minusMillis(1));
        assertThat(limits.reserve(number, 5, "r7")).as("nor before the margin for the calls' travel time has passed").isPositive();
        clock.advance(Duration.ofMillis(2));
        assertThat(limits.reserve(number, 5, "r8")).isZero();
    }

    @Test
    void a_clock_set_back_does_not_hold_the_number_back_until_it_catches_up() {
        frozen();
        for (int i = 0; i < 5; i++) {
            limits.reserve(number, 5, "r" + i);
        }
        assertThat(limits.reserve(number, 5, "r5")).as("the second is full").isPositive();
        clock.advance(Duration.ofHours(-1));
        assertThat(limits.reserve(number, 5, "r6")).as("sends counted an hour ahead do not make it wait an hour").isZero();
    }

    @Test
    void a_bulk_message_yields_the_numbers_place_to_a_first_lane_message_waiting_for_it() {
        frozen();
        limits.firstLaneWaiting(number, 1);
        assertThat(limits.reserve(number, 80, "campaign-recipient", OutboundQueue.Lane.BULK)).isEqualTo(ThroughputLimits.YIELD);
        assertThat(limits.reserve(number, 80, "waiting-customer", OutboundQueue.Lane.FIRST)).isZero();
        limits.firstLaneWaiting(number, -1);
        assertThat(limits.reserve(number, 80, "campaign-recipient", OutboundQueue.Lane.BULK)).isZero();
    }

    @Test
    void each_of_several_nodes_keeps_its_share_of_the_rate() {
        frozen();
        ThroughputLimits oneOfFour = new ThroughputLimits(clock, 4);
        for (int i = 0; i < 250; i++) {
            assertThat(oneOfFour.reserve(number, 1000, "r" + i, OutboundQueue.Lane.BULK)).isZero();
        }
        assertThat(oneOfFour.reserve(number, 1000, "r250", OutboundQueue.Lane.BULK)).isPositive();
    }

    @Test
    void the_messaging_limit_is_read_from_metas_tier_names() {
        tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();
        assertThat(MessagingLimits.parse(json.readTree("{\"whatsapp_business_manager_messaging_limit\": \"TIER_2K\"}"))).contains(java.util.Optional.of(2000));
        assertThat(MessagingLimits.parse(json.readTree("{\"whatsapp_business_manager_messaging_limit\": \"TIER_250\"}"))).contains(java.util.Optional.of(250));
        assertThat(MessagingLimits.parse(json.readTree("{\"whatsapp_business_manager_messaging_limit\": \"TIER_UNLIMITED\"}"))).contains(java.util.Optional.empty());
        assertThat(MessagingLimits.parse(json.readTree("{\"messaging_limit_tier\": \"TIER_100K\"}"))).contains(java.util.Optional.of(100_000));
        assertThat(MessagingLimits.parse(json.readTree("{\"id\": \"1\"}"))).as("not said: nothing changes").isEmpty();
    }

    /** The limits measure time on the clock; hold it still so the test sees exact buckets. */
    private void frozen() {
        clock.freeze();
    }
}
