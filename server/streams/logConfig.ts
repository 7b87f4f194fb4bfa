import type { HostConfig } from 'dockerode';

/**
 * How the engine keeps a container's output, set at make: stdio sessions read it back from the log
 * (docs/streams.md). The `local` driver stores bytes as written (json-file turns bytes that are not
 * UTF-8 into U+FFFD, so binary output would not survive a replay). It keeps 5 files of 100 MB, the
 * older ones compressed: replay reaches back over the last 500 MB of output.
 */
export const STREAM_LOG_CONFIG: NonNullable<HostConfig['LogConfig']> = {
  Type: 'local',
  Config: { 'max-size': '100m', 'max-file': '5' },
};
