package dev.tailor.signing;

import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.tailor.store.DataDir;

@Configuration(proxyBeanMethods = false)
class SigningConfiguration {

    @Bean
    Signer signer(SigningProperties props, DataDir dataDir) {
        return Signer.load(props, dataDir.path());
    }

    /** Public: devices pin these keys. Briefly cacheable, so a key rotation reaches edges within minutes. */
    @RestController
    static class KeysController {

        private final Signer signer;

        KeysController(Signer signer) {
            this.signer = signer;
        }

        @GetMapping("/v1/keys")
        ResponseEntity<List<Signer.PublicKeyView>> keys() {
            return ResponseEntity.ok().cacheControl(CacheControl.maxAge(java.time.Duration.ofMinutes(5)).cachePublic())
                    .body(signer.views());
        }
    }
}
