using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using SessionAppliance.OxendSim;
using SessionAppliance.Protocol.Codecs;
using SessionAppliance.Protocol.Crypto;

// session-appliance-oxend-sim --dir DIR --ips IP[,IP…] [--block-seconds S] [--stand-ins N] [--solo-swarms true]
//   One simulated oxend RPC socket per IP, at ipc://DIR/oxend-I.sock; node I's storage server is told to reach
//   its oxend there (Network:OxendRpc). Keys are kept in DIR/service-node-keys so a restart keeps identities;
//   DIR/oxend-state.json is rewritten every second with what the simulator heard (pings, peer reports).
string? dir = null, ips = null;
var blockSeconds = 10.0;
var standIns = 0;
var soloSwarms = false;
for (var i = 0; i < args.Length - 1; i += 2)
{
    switch (args[i])
    {
        case "--dir": dir = args[i + 1]; break;
        case "--ips": ips = args[i + 1]; break;
        case "--block-seconds": blockSeconds = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--stand-ins": standIns = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--solo-swarms": soloSwarms = bool.Parse(args[i + 1]); break;
        default: return Usage("unknown option " + args[i]);
    }
}

if (dir is null || ips is null || args.Length % 2 != 0)
{
    return Usage("--dir and --ips are required");
}

Directory.CreateDirectory(dir);
var addresses = ips.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
var keyFile = Path.Combine(dir, "service-node-keys");
var seeds = File.Exists(keyFile) ? File.ReadAllLines(keyFile).Where(l => l.Length == 64).ToList() : [];
while (seeds.Count < addresses.Length)
{
    seeds.Add(HexText.Encode(Ed25519.Generate().Seed));
}

File.WriteAllLines(keyFile, seeds);
var nodes = addresses.Select((ip, i) => (NodeKeys.FromSeed(HexText.Decode(seeds[i])), ip, $"ipc://{Path.GetFullPath(dir)}/oxend-{i}.sock")).ToList();
using var oxend = new SimulatedOxend(nodes, NullLogger.Instance, standIns, soloSwarms);
Console.WriteLine($"oxend-sim: {nodes.Count} service nodes in {oxend.Nodes.Select(n => n.SwarmId).Distinct().Count()} swarms; RPC at ipc://{Path.GetFullPath(dir)}/oxend-<i>.sock; a block every {blockSeconds} s");

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
var statePath = Path.Combine(dir, "oxend-state.json");
var lastBlock = DateTime.UtcNow;
try
{
    while (!stop.IsCancellationRequested)
    {
        await Task.Delay(TimeSpan.FromSeconds(1), stop.Token);
        if ((DateTime.UtcNow - lastBlock).TotalSeconds >= blockSeconds)
        {
            oxend.MineBlock();
            lastBlock = DateTime.UtcNow;
        }

        File.WriteAllText(statePath + ".tmp", oxend.State().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.Move(statePath + ".tmp", statePath, overwrite: true);
    }
}
catch (OperationCanceledException)
{
}

return 0;

static int Usage(string problem)
{
    Console.Error.WriteLine("oxend-sim: " + problem);
    Console.Error.WriteLine("usage: session-appliance-oxend-sim --dir DIR --ips IP[,IP…] [--block-seconds S] [--stand-ins N] [--solo-swarms true]");
    return 64;
}
