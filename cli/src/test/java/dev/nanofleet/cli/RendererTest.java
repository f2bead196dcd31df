package dev.nanofleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RendererTest {

    @Test
    void a_table_pads_each_column_to_its_widest_cell_and_leaves_no_trailing_spaces() {
        String table = Renderer.table(List.of("NAME", "RUNNING", "IMAGE"), List.of(List.of("hello", "2/2",
                "reg/hello:1"), List.of("a-longer-name", "0/1", "x")), "(none)");

        assertThat(table).isEqualTo("""
                NAME           RUNNING  IMAGE
                hello          2/2      reg/hello:1
                a-longer-name  0/1      x
                """);
    }

    @Test
    void missing_cells_show_as_a_dash_and_newlines_do_not_break_rows() {
        String table = Renderer.table(List.of("A", "B", "C"), List.of(Arrays.asList("x", null, "two\nlines"),
                List.of("", "y")), "(none)");

        assertThat(table).isEqualTo("""
                A  B  C
                x  -  two lines
                -  y  -
                """);
    }

    @Test
    void an_empty_table_says_so_instead_of_printing_only_headers() {
        assertThat(Renderer.table(List.of("NAME"), List.of(), "(none)")).isEqualTo("(none)\n");
    }

    @Test
    void fields_align_their_values() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("subject", "bob");
        fields.put("tenant", null);
        fields.put("scopes", "read,deploy");

        assertThat(Renderer.fields(fields, "")).isEqualTo("""
                subject: bob
                tenant:  -
                scopes:  read,deploy
                """);
    }

    @Test
    void json_mode_prints_the_apis_json_unchanged_and_not_the_table() throws Exception {
        ObjectMapper json = CliContext.objectMapper();
        StringWriter out = new StringWriter();
        Renderer renderer = new Renderer(new PrintWriter(out), json, true);
        var node = json.readTree("[{\"name\":\"hello\",\"extra\":{\"x\":1}}]");

        renderer.render(node, () -> renderer.line("a table"));

        assertThat(json.readTree(out.toString())).isEqualTo(node);
        assertThat(out.toString()).doesNotContain("a table");
    }
}
