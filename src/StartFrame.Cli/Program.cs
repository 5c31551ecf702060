using StartFrame.Cli;

return await CliApp.RunAsync(args).ConfigureAwait(false);
