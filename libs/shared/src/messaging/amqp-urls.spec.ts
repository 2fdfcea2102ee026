import amqp from 'amqp-connection-manager';
import { loadConfig, ConfigError } from '../config/load-config';
import { brokerCredentialsProblem } from '../config/production-guard';
import { ServiceConfig } from '../config/service-config';
import { HealthService } from '../observability/health.service';
import { amqpUrls, rotatedAmqpUrls } from './amqp-urls';
import { BrokerConnection } from './broker-connection';

jest.mock('amqp-connection-manager', () => {
  const manager = { on: jest.fn(), isConnected: () => true, close: jest.fn(async () => undefined), createChannel: jest.fn() };
  return { __esModule: true, default: { connect: jest.fn(() => manager) } };
});

const CLUSTER = 'amqp://app:s3cr3t-Xy7@127.0.0.1:5701, amqp://app:s3cr3t-Xy7@127.0.0.1:5702,amqp://app:s3cr3t-Xy7@127.0.0.1:5703';
const ENV = { DATABASE_URL: 'postgres://127.0.0.1:5432/cn', HTTP_PORT: '3101', DB_USER: 'cn_events', DB_PASSWORD: 'secret' };

describe('AMQP_URL naming the nodes of a cluster', () => {
  it('splits a comma-separated list into the URLs in order, spaces and empty entries dropped', () => {
    expect(amqpUrls(CLUSTER)).toEqual(['amqp://app:s3cr3t-Xy7@127.0.0.1:5701', 'amqp://app:s3cr3t-Xy7@127.0.0.1:5702', 'amqp://app:s3cr3t-Xy7@127.0.0.1:5703']);
    expect(amqpUrls('amqp://guest:guest@127.0.0.1:5672')).toEqual(['amqp://guest:guest@127.0.0.1:5672']);
    expect(amqpUrls('amqp://a:1,,')).toEqual(['amqp://a:1']);
  });

  it('rotates the list so that replica n starts at node n', () => {
    expect(rotatedAmqpUrls('amqp://a,amqp://b,amqp://c', 1)).toEqual(['amqp://b', 'amqp://c', 'amqp://a']);
    expect(rotatedAmqpUrls('amqp://a,amqp://b,amqp://c', 5)).toEqual(['amqp://c', 'amqp://a', 'amqp://b']);
    expect(rotatedAmqpUrls('amqp://a', 3)).toEqual(['amqp://a']);
  });

  it('accepts a list in the configuration and names AMQP_URL when one entry is not an amqp URL', () => {
    expect(loadConfig(ServiceConfig, { ...ENV, AMQP_URL: CLUSTER }).AMQP_URL).toBe(CLUSTER);
    let problems: Record<string, string[]> = {};
    try {
      loadConfig(ServiceConfig, { ...ENV, AMQP_URL: 'amqp://127.0.0.1:5701,http://127.0.0.1:5702' });
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      problems = (e as ConfigError).problems;
    }
    expect(Object.keys(problems)).toEqual(['AMQP_URL']);
  });

  it('refuses guest credentials in production on any node of the list', () => {
    expect(brokerCredentialsProblem(CLUSTER)).toBeUndefined();
    expect(brokerCredentialsProblem(`${CLUSTER},amqp://guest:guest@127.0.0.1:5704`)).toMatch(/guest/);
  });

  it('gives the event connection every node, so it reconnects to another one when a node is lost', () => {
    const config = loadConfig(ServiceConfig, { ...ENV, AMQP_URL: CLUSTER });
    const connection = new BrokerConnection(config, new HealthService());
    connection.onModuleInit();
    expect(amqp.connect).toHaveBeenCalledWith(amqpUrls(CLUSTER), expect.objectContaining({ reconnectTimeInSeconds: 1 }));
  });
});
