package hexa.platform.crypto;

import hexa.platform.config.HexaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class CryptoConfiguration {

    @Bean
    SecretBox secretBox(HexaProperties properties) {
        return new SecretBox(MasterKeys.load(properties));
    }
}
