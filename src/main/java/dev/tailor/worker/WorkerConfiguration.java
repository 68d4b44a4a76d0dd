package dev.tailor.worker;

import dev.tailor.fingerprint.TargetResolver;
import dev.tailor.payoff.PayoffConfiguration;
import dev.tailor.payoff.PayoffStore;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

import dev.tailor.builds.BuildRecords;
import dev.tailor.builds.Deployment;
import dev.tailor.bundle.BundleService;
import dev.tailor.signing.Signer;
import dev.tailor.store.BlobStore;
import dev.tailor.store.DataDir;
import dev.tailor.catalog.TargetCatalog;
import dev.tailor.toolchain.ImageCompiler;
import tools.jackson.databind.ObjectMapper;

@Configuration(proxyBeanMethods = false)
class WorkerConfiguration {

    /**
     * @param sandbox      {@code bwrap} (default) or {@code none} (no isolation: trusted bundles only)
     * @param timeout      wall-clock limit of each compile or link command
     * @param memory       address-space limit of each command
     * @param maxFile      the largest file a command may write
     * @param maxOutput    everything one build may write, the image included
     * @param maxProcesses RLIMIT_NPROC inside the sandbox
     * @param ready        build directories kept ready with sandboxes started ahead, so a build's commands skip
     *                     bubblewrap's start (0: each command starts its sandbox when it runs)
     */
    @ConfigurationProperties("tailor.worker")
    record WorkerProperties(@DefaultValue("bwrap") String sandbox, @DefaultValue("60s") Duration timeout,
                            @DefaultValue("2GB") DataSize memory, @DefaultValue("64MB") DataSize maxFile,
                            @DefaultValue("128MB") DataSize maxOutput, @DefaultValue("64") int maxProcesses,
                            @DefaultValue("2") int ready) {

        SandboxLimits limits() {
            return new SandboxLimits(timeout, memory.toBytes(), maxFile.toBytes(), maxOutput.toBytes(), maxProcesses);
        }
    }

    @Bean(destroyMethod = "close")
    SandboxWorker sandboxWorker(BuildRecords records, BlobStore store, BundleService bundles, TargetCatalog catalog,
                                ImageCompiler compiler, Signer signer, ObjectMapper json, WorkerProperties props,
                                DataDir dataDir, Deployment deployment, java.time.Clock clock, TargetResolver resolver,
                                PayoffStore reports, PayoffConfiguration.PayoffProperties payoffProps) {
        if (!props.sandbox().equals("bwrap") && !props.sandbox().equals("none")) {
            throw new IllegalArgumentException("tailor.worker.sandbox must be bwrap or none, not " + props.sandbox());
        }
        if (props.ready() < 0) {
            throw new IllegalArgumentException("tailor.worker.ready must be 0 or more, not " + props.ready());
        }
        // an API replica never builds: it keeps no sandboxes waiting
        int ready = deployment.mode() == Deployment.Mode.API ? 0 : props.ready();
        boolean isolate = props.sandbox().equals("bwrap");
        PayoffRunner payoff = new PayoffRunner(compiler, catalog, resolver, props.limits(), isolate, payoffProps.runs(),
                payoffProps.runTimeout(), dataDir.path().resolve("work/probes"), clock);
        return new SandboxWorker(records, store, bundles, catalog, compiler, signer, json, props.limits(),
                isolate, BuildDirectories.claim(dataDir.path().resolve("work/builds")), ready, clock, payoff, reports);
    }
}
