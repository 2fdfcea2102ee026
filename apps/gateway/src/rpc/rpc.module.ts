import { Global, Module } from '@nestjs/common';
import { BrokerConnection } from './broker-connection';
import { ConsumerPresence } from './consumer-presence';
import { ServiceRpc } from './service-rpc';

/** ServiceRpc for every route module of the gateway. */
@Global()
@Module({ providers: [BrokerConnection, ConsumerPresence, ServiceRpc], exports: [ServiceRpc, BrokerConnection] })
export class RpcModule {}
