package dev.nanofleet.node.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class CoreArchitectureTest {

    @Test
    void the_core_imports_no_framework_and_no_adapter() {
        noClasses().that().resideInAPackage("dev.nanofleet.node.core..").should().dependOnClassesThat()
                .resideInAnyPackage("io.quarkus..", "jakarta..", "io.micrometer..", "org.eclipse.microprofile..",
                        "dev.nanofleet.node.runtime..", "dev.nanofleet.node.image..",
                        "dev.nanofleet.node.controlplane..", "dev.nanofleet.node.app..")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.nanofleet.node"));
    }
}
