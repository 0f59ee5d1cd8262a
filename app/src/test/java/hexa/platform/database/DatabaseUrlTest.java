package hexa.platform.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

    @Test
    void a_jdbc_url_is_taken_as_it_is() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://db.internal:5433/hexa?sslmode=require");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5433/hexa?sslmode=require");
        assertThat(url.username()).isNull();
    }

    @Test
    void a_libpq_url_is_turned_into_jdbc_with_its_credentials() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://hexa:p%40ss%3Aword@db.internal/crm?sslmode=require");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5432/crm?sslmode=require");
        assertThat(url.username()).isEqualTo("hexa");
        assertThat(url.password()).isEqualTo("p@ss:word");
        assertThat(DatabaseUrl.parse("postgresql://u@localhost:6543/x").jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:6543/x");
    }

    @Test
    void anything_else_is_refused_without_echoing_the_password() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://root:hunter2@db/x"))
                .hasMessageContaining("must start with").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> DatabaseUrl.parse(" ")).hasMessageContaining("empty");
    }
}
