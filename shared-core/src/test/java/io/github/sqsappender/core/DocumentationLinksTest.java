package io.github.sqsappender.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every relative link in the README, CONTRIBUTING and {@code docs/} leads somewhere: the file
 * exists and, for a Markdown file, the {@code #anchor} is one of its headings (GitHub's rule:
 * lower case, punctuation dropped, spaces to hyphens). Links inside code blocks are not links.
 */
class DocumentationLinksTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} (.*)$");

    @Test
    void everyRelativeLinkLeadsToAFileAndAHeadingThatExist() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("CONTRIBUTING.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : pages) {
            Matcher m = LINK.matcher(withoutCodeBlocks(Files.readString(page, StandardCharsets.UTF_8)));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^(https?|mailto):.*")) {
                    continue;
                }
                checked++;
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(ROOT.relativize(page) + ": " + target + " (no such file)");
                } else if (hash >= 0 && resolved.toString().endsWith(".md")
                        && !anchors(resolved).contains(target.substring(hash + 1))) {
                    broken.add(ROOT.relativize(page) + ": " + target + " (no such heading)");
                }
            }
        }
        assertThat(broken).as("broken links").isEmpty();
        assertThat(checked).as("links checked").isGreaterThan(50);
    }

    @Test
    void anchorsFollowGitHubsRule() {
        assertThat(slug("Packed messages (`packing=ndjson`)")).isEqualTo("packed-messages-packingndjson");
        assertThat(slug("`tail`: a fast queue consumer")).isEqualTo("tail-a-fast-queue-consumer");
        assertThat(slug("The command: any program's output, no JVM logging setup"))
                .isEqualTo("the-command-any-programs-output-no-jvm-logging-setup");
    }

    private static String withoutCodeBlocks(String markdown) {
        return markdown.replaceAll("(?s)```.*?```", "");
    }

    private static Set<String> anchors(Path page) {
        try {
            Set<String> anchors = new HashSet<>();
            for (String line : withoutCodeBlocks(Files.readString(page, StandardCharsets.UTF_8)).split("\n")) {
                Matcher m = HEADING.matcher(line);
                if (m.matches()) {
                    anchors.add(slug(m.group(1)));
                }
            }
            return anchors;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String slug(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}_\\- ]", "").replace(' ', '-');
    }
}
