import './tracing';
import 'reflect-metadata';
import { runApp } from '@app/shared/app/run-app';
import { createTicketsApp } from './tickets.app';

runApp('tickets', () => createTicketsApp(process.env));
