f(x) = 3*x**2 - 4*x + 5
:plot f -5 5
a = 2.0; b = a*a + a
:explain a b
:graph b
:backstep b
:check b
:nudge a 0.001 b
[x*2 for x in range(3)]
for k in range(3): b.data += 1
