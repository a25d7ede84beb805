using SessionAppliance.Node.Hosting;

var app = NodeHost.Build(args);
await app.RunAsync();
