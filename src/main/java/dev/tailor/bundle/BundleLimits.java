package dev.tailor.bundle;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What an upload may be. The ratio cap applies once an archive has inflated past {@code ratioGrace}, so small,
 * highly compressible sources pass while a compression bomb stops within its first megabytes.
 */
@ConfigurationProperties("tailor.bundles")
public record BundleLimits(@DefaultValue("64MB") DataSize maxUpload, @DefaultValue("4096") int maxEntries,
                           @DefaultValue("16MB") DataSize maxFile, @DefaultValue("128MB") DataSize maxTotal,
                           @DefaultValue("100") int maxRatio, @DefaultValue("1MB") DataSize ratioGrace,
                           @DefaultValue("64KB") DataSize maxManifest) {

    /** A size as people write it: 64 MiB, 512 KiB, 100 bytes. */
    static String human(DataSize size) {
        long b = size.toBytes();
        if (b >= 1 << 20 && b % (1 << 20) == 0) {
            return (b >> 20) + " MiB";
        }
        if (b >= 1 << 10 && b % (1 << 10) == 0) {
            return (b >> 10) + " KiB";
        }
        return b + " bytes";
    }
}
