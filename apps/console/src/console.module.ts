import { PiiCipher, PlatformModule } from '@app/platform';
import { DynamicModule, Injectable, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccountsRepository } from './accounts/accounts.repository';
import { AccountsService } from './accounts/accounts.service';
import { DirectoryController } from './accounts/directory.controller';
import { AdminController } from './accounts/admin.controller';
import { ImportService } from './accounts/import.service';
import { StaffContactController } from './accounts/staff-contact.controller';
import { StaffContactService } from './accounts/staff-contact.service';
import { UnitDirectory } from './accounts/unit-directory';
import { AuditRepository } from './audit/audit.repository';
import { AuthController } from './auth/auth.controller';
import { CitizenModule } from './citizen/citizen.module';
import { LoginService } from './auth/login.service';
import { PasswordHasher } from './auth/passwords';
import { SessionGuard } from './auth/session.guard';
import { SessionsRepository } from './auth/sessions.repository';
import { SessionsService } from './auth/sessions.service';
import { ConsoleConfig } from './console.config';
import { CONSOLE_PERSISTENCE } from './console.persistence';
import { CONSOLE_CONFIG } from './console.tokens';
import { JwksController } from './keys/jwks.controller';
import { LiveModule } from './live/live.module';
import { ServiceTokens } from './keys/service-tokens';
import { loadSigningKeys, SigningKeys } from './keys/signing-keys';
import { OidcController } from './oidc/oidc.controller';
import { OidcService } from './oidc/oidc.service';

/** Ended sessions are removed every few minutes (a lookup refuses them anyway). */
@Injectable()
class SessionSweeper implements OnModuleInit, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  constructor(private readonly sessions: SessionsService) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.sessions.sweep().catch(() => undefined), 5 * 60_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}

/** 门: the only origin a browser talks to — sessions, accounts, single sign-on, service tokens. */
@Module({})
export class ConsoleModule {
  static forRoot(config: ConsoleConfig): DynamicModule {
    const log = new Logger('Console');
    return {
      module: ConsoleModule,
      imports: [
        PlatformModule.forService({ service: 'console', config, persistence: CONSOLE_PERSISTENCE, bearerAuth: false }),
        LiveModule.forRoot(config),
        CitizenModule.forRoot(config),
      ],
      controllers: [JwksController, AuthController, OidcController, AdminController, DirectoryController, StaffContactController],
      providers: [
        { provide: CONSOLE_CONFIG, useValue: config },
        { provide: SigningKeys, useFactory: () => loadSigningKeys(config, (m) => log.log(m)) },
        { provide: PiiCipher, useFactory: () => new PiiCipher(config.PII_KEYS, config.PII_HASH_KEY) },
        { provide: APP_GUARD, useClass: SessionGuard },
        ServiceTokens,
        PasswordHasher,
        SessionsRepository,
        SessionsService,
        SessionSweeper,
        LoginService,
        AccountsRepository,
        AccountsService,
        AuditRepository,
        UnitDirectory,
        ImportService,
        StaffContactService,
        OidcService,
      ],
      exports: [SessionsService, ServiceTokens, CONSOLE_CONFIG],
    };
  }
}
