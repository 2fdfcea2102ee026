import { JtdSettingsView, JtdSourceSettingsView } from '@app/shared/api/jtd/jtd-settings.dto';
import { SourceConfig } from './source-config.repository';
import { TenantConfig } from './tenant-config.repository';

export function settingsView(c: TenantConfig): JtdSettingsView {
  const on = (channel: string) => c.channelsEnabled[channel] === true;
  return {
    vaniEnabled: c.vaniEnabled,
    vaniAutoExecuteTypes: c.vaniAutoExecuteTypes,
    channelsEnabled: { email: on('email'), sms: on('sms'), whatsapp: on('whatsapp'), push: on('push'), inapp: on('inapp') },
    dailyLimit: c.dailyLimit,
    monthlyLimit: c.monthlyLimit,
    defaultPriority: c.defaultPriority,
    timezone: c.timezone,
    quietHoursStart: c.quietHoursStart,
    quietHoursEnd: c.quietHoursEnd,
    appointmentReminderLeadMinutes: c.appointmentReminderLeadMinutes,
    isLive: c.isLive,
    providerProfile: c.providerProfile,
    version: c.version,
  };
}

export function sourceView(s: SourceConfig): JtdSourceSettingsView {
  return {
    sourceType: s.sourceTypeCode,
    channelsEnabled: s.channelsEnabled,
    isEnabled: s.isEnabled,
    autoExecute: s.autoExecute,
    priorityOverride: s.priorityOverride,
    delaySeconds: s.delaySeconds,
    version: s.version,
  };
}
