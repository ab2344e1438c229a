package io.github.sqsappender.core.aws;

import io.github.sqsappender.core.testing.ChildJvm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.util.Arrays;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The optional modules: the s3 module and the crt/apache HTTP clients. The s3 module is optional: without it on the class path, configuring S3 is a clear error naming
 * the attribute (the adapters report it and the application starts), and everything else works.
 */
class WithoutS3ModuleIT {

    @ParameterizedTest
    @ValueSource(strings = {"largeMessagePolicy", "fallback"})
    void configuringS3WithoutTheModuleNamesTheAttributeAndTheModule(String attribute) throws Exception {
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.replace('\\', '/').contains("/software/amazon/awssdk/s3/"))
                .collect(Collectors.joining(File.pathSeparator));
        ChildJvm.Result r = ChildJvm.onClasspath(classpath).run("without-s3-" + attribute, 60,
                WithoutS3ModuleMain.class.getName(), attribute);
        assertThat(r.printed("s3Present")).as(r.output()).isEqualTo("false");
        assertThat(r.printed("s3Error")).isEqualTo(attribute + "=s3 needs the AWS SDK 's3' module "
                + "(software.amazon.awssdk:s3) on the classpath");
        assertThat(r.printed("plain")).isEqualTo("ok");
        assertThat(r.exitCode()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"crt", "apache"})
    void choosingAnAbsentHttpClientNamesTheAttributeAndTheArtifact(String httpClient) throws Exception {
        String artifactPath = httpClient.equals("crt") ? "/software/amazon/awssdk/aws-crt-client/" : "/software/amazon/awssdk/apache-client/";
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.replace('\\', '/').contains(artifactPath))
                .collect(Collectors.joining(File.pathSeparator));
        ChildJvm.Result r = ChildJvm.onClasspath(classpath).run("without-" + httpClient, 60,
                WithoutHttpClientModuleMain.class.getName(), httpClient);
        assertThat(r.printed("error")).as(r.output()).startsWith("httpClient=" + httpClient + " needs the AWS SDK's ")
                .contains(httpClient.equals("crt") ? "software.amazon.awssdk:aws-crt-client" : "software.amazon.awssdk:apache-client");
        assertThat(r.printed("plain")).isEqualTo("ok");
        assertThat(r.exitCode()).isZero();
    }
}
