package dev.tailor;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class TailorApplication {
    public static void main(String[] args) {
        SpringApplication.run(TailorApplication.class, args);
    }
}
