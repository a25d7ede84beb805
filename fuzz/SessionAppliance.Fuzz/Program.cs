using Microsoft.Extensions.DependencyInjection;
using SessionAppliance.Fuzz;
using SessionAppliance.Node.Hosting;
using SessionAppliance.Node.Rpc;

// session-appliance-fuzz TARGET            run under afl-fuzz (SharpFuzz's persistent mode), input on stdin
// session-appliance-fuzz TARGET FILE|DIR…  run each file once (a crash reproduces; the corpus is a regression test)
// session-appliance-fuzz --list            the targets
var dispatcher = new Lazy<ClientRpcDispatcher>(() =>
{
    // A node built but not started, on a throw-away data directory: the methods need their services to exist.
    var data = Directory.CreateTempSubdirectory("sa-fuzz-").FullName;
    var app = NodeHost.Build([$"--Node:DataDirectory={data}", "--Node:ListenAddress=127.0.0.1", "--Node:HealthPort=0", "--Logging:LogLevel:Default=None"]);
    return app.Services.GetRequiredService<ClientRpcDispatcher>();
});
var targets = Targets.All(dispatcher);

if (args is ["--list"] or [])
{
    foreach (var target in targets)
    {
        Console.WriteLine($"{target.Name,-12} {target.Reads}");
    }

    return args.Length == 0 ? 64 : 0;
}

var chosen = targets.FirstOrDefault(t => t.Name == args[0]);
if (chosen is null)
{
    Console.Error.WriteLine($"session-appliance-fuzz: no target {args[0]}; targets: {string.Join(", ", targets.Select(t => t.Name))}");
    return 64;
}

if (args.Length > 1)
{
    var files = args.Skip(1).SelectMany(path => Directory.Exists(path) ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories) : [path]).ToList();
    foreach (var file in files)
    {
        chosen.Run(File.ReadAllBytes(file));
    }

    Console.WriteLine($"{chosen.Name}: {files.Count} inputs ran without a crash");
    return 0;
}

SharpFuzz.Fuzzer.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    chosen.Run(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
});
return 0;
