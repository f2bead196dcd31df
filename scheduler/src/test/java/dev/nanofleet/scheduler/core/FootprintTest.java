package dev.nanofleet.scheduler.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FootprintTest {

    @Test
    void a_zone_is_found_by_its_name_whatever_string_object_asks() {
        Footprint footprint = new Footprint(5, Map.of("zone-a", 2, "zone-b", 3));

        assertThat(footprint.inZone(new String("zone-b"))).isEqualTo(3);
        assertThat(footprint.inZone("zone-a")).isEqualTo(2);
        assertThat(footprint.inZone("zone-c")).isZero();
        assertThat(Footprint.NONE.inZone("")).isZero();
    }

    @Test
    void footprints_with_the_same_counts_are_equal_however_they_were_built() {
        Footprint fromMap = new Footprint(3, Map.of("a", 1, "b", 2));
        Footprint fromArrays = new Footprint(3, new String[]{"b", "a", "unused"}, new int[]{2, 1, 9}, 2);

        assertThat(fromArrays).isEqualTo(fromMap).hasSameHashCodeAs(fromMap);
        assertThat(fromArrays.byZone()).containsExactlyInAnyOrderEntriesOf(Map.of("a", 1, "b", 2));
        assertThat(fromArrays).hasToString("Footprint[total=3, byZone=" + fromArrays.byZone() + "]");
    }
}
