package io.github.sqsappender.core.aws;

import io.github.sqsappender.core.testing.ChildJvm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.util.Arrays;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The optional modules — the s3 module, the crt and apache HTTP clients: without one on the class
 * path, configuring what needs it is a clear error naming the attribute and the artifact (the
 * adapters report it and the application starts), and everything else works.
 */
class WithoutOptionalModulesIT {

    private static ChildJvm.Result runWithout(String artifactPath, String name, String attribute, String value,
                                              String probeClass) throws Exception {
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.replace('\\', '/').contains(artifactPath))
                .collect(Collectors.joining(File.pathSeparator));
        return ChildJvm.onClasspath(classpath).run(name, 60, WithoutOptionalModuleMain.class.getName(),
                attribute, value, probeClass);
    }

    @ParameterizedTest
    @ValueSource(strings = {"largeMessagePolicy", "fallback"})
    void configuringS3WithoutTheModuleNamesTheAttributeAndTheModule(String attribute) throws Exception {
        ChildJvm.Result r = runWithout("/software/amazon/awssdk/s3/", "without-s3-" + attribute, attribute, "s3",
                "software.amazon.awssdk.services.s3.S3AsyncClient");
        assertThat(r.printed("present")).as(r.output()).isEqualTo("false");
        assertThat(r.printed("error")).isEqualTo(attribute + "=s3 needs the AWS SDK 's3' module "
                + "(software.amazon.awssdk:s3) on the classpath");
        assertThat(r.printed("plain")).isEqualTo("ok");
        assertThat(r.exitCode()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"crt", "apache"})
    void choosingAnAbsentHttpClientNamesTheAttributeAndTheArtifact(String httpClient) throws Exception {
        boolean crt = httpClient.equals("crt");
        ChildJvm.Result r = runWithout(crt ? "/software/amazon/awssdk/aws-crt-client/" : "/software/amazon/awssdk/apache-client/",
                "without-" + httpClient, "httpClient", httpClient,
                crt ? "software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient" : "software.amazon.awssdk.http.apache.ApacheHttpClient");
        assertThat(r.printed("present")).as(r.output()).isEqualTo("false");
        assertThat(r.printed("error")).startsWith("httpClient=" + httpClient + " needs the AWS SDK's ")
                .contains(crt ? "software.amazon.awssdk:aws-crt-client" : "software.amazon.awssdk:apache-client");
        assertThat(r.printed("plain")).isEqualTo("ok");
        assertThat(r.exitCode()).isZero();
    }
}
