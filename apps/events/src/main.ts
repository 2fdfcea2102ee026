import './tracing';
import 'reflect-metadata';
import { runApp } from '@app/shared/app/run-app';
import { createEventsApp } from './events.app';

runApp('events', () => createEventsApp(process.env));
