import './tracing';
import 'reflect-metadata';
import { runApp } from '@app/shared/app/run-app';
import { createJtdDispatcherApp } from './jtd-dispatcher.app';

runApp('jtd-dispatcher', () => createJtdDispatcherApp(process.env));
