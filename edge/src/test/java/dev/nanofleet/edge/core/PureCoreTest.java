package dev.nanofleet.edge.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class PureCoreTest {

    @Test
    void the_core_imports_no_framework_kafka_or_http_client() {
        noClasses().that().resideInAPackage("dev.nanofleet.edge.core..").should().dependOnClassesThat()
                .resideInAnyPackage("io.quarkus..", "jakarta..", "org.apache.kafka..", "java.net.http..",
                        "com.fasterxml..", "org.jboss..", "dev.nanofleet.edge")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.nanofleet.edge"));
    }
}
