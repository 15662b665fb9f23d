#!/usr/bin/env bash
# The tool against an app of one's own: builds, in a temporary folder outside the checkout, a console app with only a
# ProjectReference to src/ForwardGnn and no setup code, then runs the same training through `./forwardgnn train`,
# the tool's dll without the launcher, the app, and the app under the launcher's environment (build/native-env.sh),
# interleaved, ROUNDS times. One line per run: variant, 1-minute load, test accuracy, wall seconds (docs/runtime.md).
# Usage: scripts/consumer-bench.sh [ROUNDS [DATASET ALGO LAYERS SPLIT]]   (default: 3 CitationFull-Cora_ML sf 2 0)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=${1:-3} dataset=${2:-CitationFull-Cora_ML} algo=${3:-sf} layers=${4:-2} split=${5:-0}
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
app="$(mktemp -d /tmp/forwardgnn-consumer-XXXXXX)"
trap 'rm -rf "$app"' EXIT
cat >"$app/Consumer.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
  <ItemGroup><ProjectReference Include="$root/src/ForwardGnn/ForwardGnn.csproj" /></ItemGroup>
</Project>
XML
cat >"$app/Program.cs" <<'CS'
using ForwardGnn.Data;
using ForwardGnn.Training;
using TorchSharp;
GraphDataset data = new DatasetLoader(DataRoots.Resolve()).Load(args[0]);
var config = new TrainConfig { Dataset = data.Name, Algo = args[1], Layers = int.Parse(args[2]), Splits = [int.Parse(args[3])] };
RunResult result = new Experiment(data, DataRoots.Resolve(), config, torch.CPU).RunSplit(config.Splits[0]);
Console.WriteLine($"test {result.Test:R} epochs {result.Epochs}");
CS
dotnet build "$app/Consumer.csproj" -c Release -o "$app/out" --nologo -v quiet -clp:NoSummary >&2
"$root/forwardgnn" --help >/dev/null   # builds the tool if its sources changed
cd "$root"
timed() {   # the first test accuracy the run prints (the tool's JSON repeats it per depth), and its wall time
  /usr/bin/time -f "wall %e" "$@" 2>&1 | grep -oE '"test":[0-9.]+|test [0-9.]+ epochs [0-9]+|wall [0-9.]+' \
    | awk '!seen[substr($0, 1, 4)]++' | tr '\n' ' '
}
for round in $(seq "$rounds"); do
  for variant in tool tool-without-launcher app app-under-launcher; do
    printf '%s round %s load %s | ' "$variant" "$round" "$(cut -d' ' -f1 /proc/loadavg)"
    case $variant in
      tool) timed ./forwardgnn train --dataset "$dataset" --algo "$algo" --layers "$layers" --split "$split" --json --out "$app/runs/$variant-$round" ;;
      tool-without-launcher) timed dotnet artifacts/cli/ForwardGnn.Cli.dll train --dataset "$dataset" --algo "$algo" --layers "$layers" --split "$split" --json --out "$app/runs/$variant-$round" ;;
      app) timed dotnet "$app/out/Consumer.dll" "$dataset" "$algo" "$layers" "$split" ;;
      app-under-launcher) root="$root" timed bash -c 'source build/native-env.sh; exec dotnet "$0/out/Consumer.dll" "$@"' "$app" "$dataset" "$algo" "$layers" "$split" ;;
    esac
    echo
  done
done
