package dev.tailor.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.tailor.problem.Problem;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.Components;

/** Names the generated OpenAPI description ({@code /v3/api-docs}) and its bearer-token scheme. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

    @Bean
    OpenAPI tailorOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Tailor").version("v1")
                        .description("On-demand, CPU-tuned unikernel images at immutable, CDN-friendly URLs.\n\n"
                                + "Every error is an RFC 9457 `application/problem+json` document whose `code` is one of "
                                + "these (its `type` is `https://tailor.dev/problems/<code>`):\n\n"
                                + Problem.markdownTable()))
                .components(new Components().addSecuritySchemes("bearer",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")));
    }
}
