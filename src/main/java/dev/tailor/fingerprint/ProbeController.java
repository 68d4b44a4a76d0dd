package dev.tailor.fingerprint;

import java.time.Duration;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import dev.tailor.problem.Problem;
import dev.tailor.catalog.Arch;
import dev.tailor.problem.TailorException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code GET /v1/probes/{arch}}: the probe image. The path is stable but its bytes change with the toolchain, so
 * it is cacheable briefly; {@code Tailor-Image} names the immutable copy under {@code /v1/images}.
 */
@RestController
class ProbeController {

    private final ProbeImages probes;

    ProbeController(ProbeImages probes) {
        this.probes = probes;
    }

    @GetMapping("/v1/probes/{arch}")
    Mono<ResponseEntity<byte[]>> probe(@PathVariable String arch) {
        Arch a = Arch.parse(arch).filter(Arch::isMachine).orElseThrow(() -> Problem.PROBE_UNKNOWN_ARCH.because("No probe for '" + arch + "'; architectures: x86_64, i686, aarch64, armv7, riscv64 "
                        + "(a WebAssembly host knows its features: WebAssembly.validate tells whether it has simd128)"));
        return Mono.fromCallable(() -> probes.forArch(a)).subscribeOn(Schedulers.boundedElastic())
                .map(p -> ResponseEntity.ok()
                        .contentType(MediaType.APPLICATION_OCTET_STREAM)
                        .eTag("\"" + p.digest() + "\"")
                        .cacheControl(CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic())
                        .header("Tailor-Image", "/v1/images/" + p.digest().path())
                        .header("Tailor-Target", p.target())
                        .header(HttpHeaders.CONTENT_DISPOSITION,
                                "attachment; filename=\"tailor-probe-" + a.id() + ".elf\"")
                        .body(p.bytes()));
    }
}
