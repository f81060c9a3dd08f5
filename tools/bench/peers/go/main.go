// The benchmark greeter on the official Go SDK 3.3.0 (statefun-sdk-go/v3), the same function as
// tools/bench/src/greeter.mjs: a string name, an int32 state seen_count incremented, and
// "Hello <name> for the <n>th time!" sent to com.example.fns/inbox/<name>.
//
//	peer serve                       HTTP on 127.0.0.1 (free port) at /statefun: prints {"port":N},
//	                                 exits when stdin closes
//	peer once <request-file>         writes handler.Invoke's reply to stdout (checked by the bench)
//	peer invoke <request-file> <warmup-calls> <ms>
//	                                 warms up with that many calls, then loops handler.Invoke on the
//	                                 bytes for ms; prints {"ops":N,"seconds":S,"cpuSeconds":C}
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/apache/flink-statefun/statefun-sdk-go/v3/pkg/statefun"
)

var seenCount = statefun.ValueSpec{Name: "seen_count", ValueType: statefun.Int32Type}
var inbox = statefun.TypeNameFrom("com.example.fns/inbox")

func greet(ctx statefun.Context, message statefun.Message) error {
	name := message.AsString()
	var seen int32
	ctx.Storage().Get(seenCount, &seen)
	seen++
	ctx.Storage().Set(seenCount, seen)
	ctx.Send(statefun.MessageBuilder{
		Target: statefun.Address{FunctionType: inbox, Id: name},
		Value:  fmt.Sprintf("Hello %s for the %dth time!", name, seen),
	})
	return nil
}

func handler() statefun.RequestReplyHandler {
	builder := statefun.StatefulFunctionsBuilder()
	if err := builder.WithSpec(statefun.StatefulFunctionSpec{
		FunctionType: statefun.TypeNameFrom("com.example.fns/greeter"),
		States:       []statefun.ValueSpec{seenCount},
		Function:     statefun.StatefulFunctionPointer(greet),
	}); err != nil {
		panic(err)
	}
	return builder.AsHandler()
}

func cpuSeconds() float64 {
	var usage syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &usage)
	return float64(usage.Utime.Nano()+usage.Stime.Nano()) / 1e9
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: peer serve | once <file> | invoke <file> <warmup-ms> <ms>")
		os.Exit(2)
	}
	h := handler()
	switch os.Args[1] {
	case "serve":
		listener, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			panic(err)
		}
		mux := http.NewServeMux()
		mux.Handle("/statefun", h)
		fmt.Printf("{\"port\":%d}\n", listener.Addr().(*net.TCPAddr).Port)
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			os.Exit(0)
		}()
		panic(http.Serve(listener, mux))
	case "once":
		payload, err := os.ReadFile(os.Args[2])
		if err != nil {
			panic(err)
		}
		reply, err := h.Invoke(context.Background(), payload)
		if err != nil {
			panic(err)
		}
		_, _ = os.Stdout.Write(reply)
	case "invoke":
		// The SDK logs every cold request (log.Printf to stderr): part of its cost, kept; the bench
		// sends stderr to /dev/null.
		payload, err := os.ReadFile(os.Args[2])
		if err != nil {
			panic(err)
		}
		warmupCalls, _ := strconv.Atoi(os.Args[3])
		measure, _ := strconv.Atoi(os.Args[4])
		ctx := context.Background()
		loop := func(ms int) (int, float64, float64) {
			ops := 0
			cpu := cpuSeconds()
			start := time.Now()
			deadline := start.Add(time.Duration(ms) * time.Millisecond)
			for {
				for i := 0; i < 64; i++ {
					if _, err := h.Invoke(ctx, payload); err != nil {
						panic(err)
					}
				}
				ops += 64
				if time.Now().After(deadline) {
					break
				}
			}
			return ops, time.Since(start).Seconds(), cpuSeconds() - cpu
		}
		for i := 0; i < warmupCalls; i++ {
			if _, err := h.Invoke(ctx, payload); err != nil {
				panic(err)
			}
		}
		ops, seconds, cpu := loop(measure)
		out, _ := json.Marshal(map[string]float64{"ops": float64(ops), "seconds": seconds, "cpuSeconds": cpu})
		fmt.Println(string(out))
	default:
		fmt.Fprintln(os.Stderr, "unknown command", os.Args[1])
		os.Exit(2)
	}
}
