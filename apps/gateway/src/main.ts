import './tracing';
import 'reflect-metadata';
import { runApp } from '@app/shared/app/run-app';
import { createGatewayApp } from './gateway.app';

runApp('gateway', () => createGatewayApp(process.env));
